"""Hugging Face Trainer: a tiny RemBERT (``RemBertConfig``: input embeddings 16, hidden 48,
output embeddings 16, 2 layers, 4 heads, built from the config, no download, pad token 0)
sorts synthetic news headlines into 3 desks (business, sport, science). A headline is 6–20
tokens of shared filler with 2–3 of its desk's 8 keywords; 15 % of the headlines carry a
keyword of a second desk as well (cross-over stories) and 4 % have the wrong desk. Padded to
24 with an attention mask, AdamW 2e-3, weight decay 0.01, warm-up 10 steps then linear decay,
batch 32, 5 epochs, eval every 25 steps, train loss logged every 5 steps. Healthy: eval
accuracy about 0.94 (label noise and cross-over stories cap it), a noisy train loss."""
import torch
from transformers import RemBertConfig, RemBertForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS = 100, 24, 0, 1
DESKS = 3


def headlines(n, g):
    keywords = torch.randperm(VOCAB - 40, generator=g)[:DESKS * 8].view(DESKS, 8) + 40
    y = torch.randint(0, DESKS, (n,), generator=g)
    lengths = torch.randint(6, 21, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(2, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k + 1] + 1
        ids[i, pos[:k]] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
        if float(torch.rand(1, generator=g)) < 0.15:
            other = (y[i] + int(torch.randint(1, DESKS, (1,), generator=g))) % DESKS
            ids[i, pos[k]] = keywords[other, int(torch.randint(0, 8, (1,), generator=g))]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.04
    y = torch.where(flip, (y + torch.randint(1, DESKS, (n,), generator=g)) % DESKS, y)
    return ids * mask, mask, y


class Headlines(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RemBertConfig(vocab_size=VOCAB, input_embedding_size=16, hidden_size=48,
                           output_embedding_size=16, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=96, max_position_embeddings=LEN, num_labels=DESKS,
                           pad_token_id=PAD, bos_token_id=CLS, eos_token_id=2,
                           hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
                           classifier_dropout_prob=0.1)
    return RemBertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _sixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = headlines(1200, g)
    train = Headlines(ids[:960], mask[:960], y[:960])
    val = Headlines(ids[960:], mask[960:], y[960:])
    args = TrainingArguments(str(out / "desks"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "desks").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[960:1024], "attention_mask": mask[960:1024],
                           "targets": y[960:1024]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RemBERT headline desk classifier, HF Trainer, 4 % label noise (healthy)")


if __name__ == "__main__":
    main()
