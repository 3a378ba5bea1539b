"""Hugging Face Trainer: a tiny GPT-NeoX (``GPTNeoXConfig``: hidden 64, 2 layers, 4 heads,
intermediate 128, rotary on a quarter of each head, built from the config, no download,
``pad_token_id`` set) as ``GPTNeoXForSequenceClassification`` rates synthetic product reviews
positive or negative. A review is 10–30 tokens of filler with 1–3 sentiment words from a list of
8 per class and, in a third of the reviews, one word of the other class ("good price but ...");
8 % of the labels are flipped (star ratings that disagree with the text). Right-padded to 32
with an attention mask (the model pools the last non-pad token), AdamW 1e-3, weight decay 0.01,
12 warm-up steps then cosine, batch 32, 3 epochs, eval every 25 steps, train loss every 5.
Healthy: eval accuracy 0.77 at step 25, 0.89 at step 100 and 0.883 at the end (the flipped labels
cap it near 0.92), eval loss 0.50 → 0.345 and then flat at 0.35 under the cosine tail; the
logged train loss is noisy (0.21–0.36 in the last epoch)."""
import torch
from transformers import GPTNeoXConfig, GPTNeoXForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD = 160, 32, 0


def reviews(n, g):
    words = torch.randperm(VOCAB - 60, generator=g)[:16].view(2, 8) + 60
    y = torch.randint(0, 2, (n,), generator=g)
    lengths = torch.randint(10, 31, (n,), generator=g)
    ids = torch.randint(1, 60, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]), generator=g)[:k + 1]
        ids[i, pos[:k]] = words[y[i], torch.randint(0, 8, (k,), generator=g)]
        if k > 1 and torch.rand(1, generator=g) < 0.5:
            ids[i, pos[k]] = words[1 - y[i], int(torch.randint(0, 8, (1,), generator=g))]
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.08
    return ids * mask, mask, torch.where(flip, 1 - y, y)


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPTNeoXConfig(vocab_size=VOCAB, hidden_size=64, intermediate_size=128,
                           num_hidden_layers=2, num_attention_heads=4, rotary_pct=0.25,
                           max_position_embeddings=LEN, num_labels=2, pad_token_id=PAD,
                           attn_implementation="eager")
    return GPTNeoXForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(1700, g)
    train = Reviews(ids[:1400], mask[:1400], y[:1400])
    val = Reviews(ids[1400:], mask[1400:], y[1400:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=3, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1400:1464], "attention_mask": mask[1400:1464],
                           "targets": y[1400:1464]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-NeoX review-sentiment classifier, HF Trainer, 8 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
