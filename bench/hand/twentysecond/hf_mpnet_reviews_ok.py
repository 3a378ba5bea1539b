"""Hugging Face Trainer: a tiny MPNet (``MPNetConfig``: 2 layers, hidden 64, 4 heads, built
from the config, no download) rates product reviews as negative / neutral / positive. A review
is 8-28 tokens of filler words with 0-3 words from a positive list and 0-3 from a negative
list; the label is the sign of (positives - negatives), and 10 % of the labels were given by a
careless annotator (random). Padded to 32 with an attention mask, AdamW 1e-3, weight decay
0.01, warm-up 20 steps then linear decay, batch 32, 4 epochs, eval every 25 steps. Healthy:
slow for its first 50 steps (eval acc 0.41 -> 0.60), then eval accuracy 0.89 at the end (the
label noise allows ~0.93), eval loss 1.08 -> 0.51, held up by the noisy labels."""
import torch
from transformers import MPNetConfig, MPNetForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, CLS, PAD = 160, 32, 0, 1
CLASSES = 3


def reviews(n, g):
    words = torch.randperm(VOCAB - 40, generator=g)[:20] + 40
    pos_words, neg_words = words[:10], words[10:]
    lengths = torch.randint(8, 29, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        n_pos, n_neg = torch.randint(0, 4, (2,), generator=g).tolist()
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:n_pos + n_neg] + 1
        ids[i, pos[:n_pos]] = pos_words[torch.randint(0, 10, (n_pos,), generator=g)]
        ids[i, pos[n_pos:]] = neg_words[torch.randint(0, 10, (n_neg,), generator=g)]
        y[i] = 1 + (n_pos > n_neg) - (n_pos < n_neg)
    noisy = torch.rand(n, generator=g) < 0.1
    y[noisy] = torch.randint(0, CLASSES, (int(noisy.sum()),), generator=g)
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    return torch.where(mask.bool(), ids, PAD), mask, y


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
    config = MPNetConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=128,
                         max_position_embeddings=LEN + 2, num_labels=CLASSES, pad_token_id=PAD,
                         bos_token_id=CLS, eos_token_id=2)
    return MPNetForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(2000, g)
    train = Reviews(ids[:1600], mask[:1600], y[:1600])
    val = Reviews(ids[1600:], mask[1600:], y[1600:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=4, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MPNet review rater, HF Trainer, 10 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
