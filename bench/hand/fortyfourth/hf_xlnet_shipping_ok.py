"""Hugging Face Trainer: a tiny XLNet (``XLNetConfig``: d_model 32, 2 layers, 4 heads, inner 64,
built from the config, no download) sorts shipping notes into 3 classes (damaged goods, delay /
tracking question, address change). A note is 6–22 tokens of filler with 1–3 of its class's 6
keywords; 5 % of the notes carry a wrong class (the agents' tags are not perfect). XLNet
summarises from the last token, so the notes are padded on the left to 24 with an attention
mask (the tokenizer's default padding side for XLNet). AdamW 2e-3, weight decay 0.01, linear
decay after 10 warm-up steps, batch 32, 5 epochs, eval every 15 steps, train loss every 5.
Healthy: the loss sits near ln 3 for the first ~30 steps, then falls; eval accuracy levels at
0.957 (5 % noisy tags cap it near 0.95), eval loss 0.213, a noisy train loss 0.20–0.32 at or
above it (dropout 0.1 and the noisy tags)."""
import torch
from transformers import Trainer, TrainingArguments, XLNetConfig, XLNetForSequenceClassification

VOCAB, LEN, PAD = 100, 24, 5
CLASSES = 3


def notes(n, g):
    keywords = torch.randperm(VOCAB - 30, generator=g)[:CLASSES * 6].view(CLASSES, 6) + 30
    y = torch.randint(0, CLASSES, (n,), generator=g)
    lengths = torch.randint(6, 23, (n,), generator=g)
    ids = torch.randint(10, 30, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = LEN - int(lengths[i]) + torch.randperm(int(lengths[i]), generator=g)[:k]
        ids[i, pos] = keywords[y[i], torch.randint(0, 6, (k,), generator=g)]
    mask = (torch.arange(LEN)[None] >= LEN - lengths[:, None]).long()  # left padding
    ids = torch.where(mask.bool(), ids, torch.full_like(ids, PAD))
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return ids, mask, y


class Notes(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XLNetConfig(vocab_size=VOCAB, d_model=32, n_layer=2, n_head=4, d_inner=64,
                         num_labels=CLASSES, pad_token_id=PAD, dropout=0.1,
                         summary_last_dropout=0.1)
    return XLNetForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = notes(1300, g)
    train = Notes(ids[:1000], mask[:1000], y[:1000])
    val = Notes(ids[1000:], mask[1000:], y[1000:])
    args = TrainingArguments(str(out / "shipping"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=15, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "shipping").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1000:1064], "attention_mask": mask[1000:1064],
                           "targets": y[1000:1064]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLNet shipping-note classifier, HF Trainer, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
