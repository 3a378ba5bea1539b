"""Hugging Face Trainer: a tiny Longformer token tagger (``LongformerConfig``: vocabulary 29,
48 wide, 2 layers, 4 heads, attention window 8, built from the config, no download;
``LongformerForTokenClassification``) marks which readings of a lab salinometer to average.
A bench salinometer (Autosal style) shows the conductivity ratio 2Rt of each bottle sample
32 times while the operator flushes and refills the cell. The first readings still carry the
previous bottle: the cell approaches the new ratio exponentially (3-9 fills, time constant
0.7-2.2 readings); a bubble caught in the cell reads low (5-40 counts of the last digit,
1-2 readings, 0-2 per bottle); the rest is stable with about one count of noise. Each
reading is one token, its deviation from the bottle's median in counts of 1e-5, clamped to
±12 (tokens 4-28; 0 pad, 1 start). Tags per reading: 0 flushing (the carry-over is still
above 2 counts), 1 stable, 2 bubble; the start token is -100.
AdamW 8e-4 with linear decay and 30 warmup steps, weight decay 0.01, batch 16, 5 epochs of
1200 bottles, eval every 75 steps (each epoch) on 300 bottles (tag accuracy, bubble recall,
flushing recall), loss every 15 steps, checkpoint every 75 steps (``autosal/checkpoint-N/``
with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    LongformerConfig,
    LongformerForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 32


def bottles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    i = torch.arange(T).float()
    carry = (r(n, 1) - 0.5) * 2 * (40 + 360 * r(n, 1))  # previous bottle - this one, counts
    tau = 0.7 + 1.5 * r(n, 1)
    flush = carry * torch.exp(-i / tau)
    tag = torch.where(flush.abs() > 2, 0, 1)
    read = flush + 0.7 * torch.randn(n, T, generator=g)
    for _ in range(2):
        at = (6 + (T - 7) * r(n)).long()
        hit = r(n) < 0.45
        depth = 5 + 35 * r(n)
        two = r(n) < 0.4
        for k, (a, h, d, w) in enumerate(zip(at, hit, depth, two, strict=True)):
            if h and tag[k, a] == 1:
                span = slice(a, min(a + 1 + int(w), T))
                read[k, span] -= d
                tag[k, span] = 2
    dev = (read - read.median(1, keepdim=True).values).round().clamp(-12, 12)
    tok = (dev + 16).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), tag], 1)
    return ids, labels


class Runs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = LongformerConfig(vocab_size=29, hidden_size=48, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=96, attention_window=8,
                              max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                              attention_probs_dropout_prob=0.0, pad_token_id=0, bos_token_id=1,
                              eos_token_id=2, sep_token_id=2, num_labels=3)
    return LongformerForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"tag_acc": float((p[m] == y[m]).mean()),
            "bubble_recall": float((p[y == 2] == 2).mean()),
            "flush_recall": float((p[y == 0] == 0).mean())}


def main():
    from _threehundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = bottles(1200, g)
    iva, lva = bottles(300, g)
    print("tags", torch.bincount(ltr[:, 1:].flatten()).tolist())
    args = TrainingArguments(str(out / "autosal"), num_train_epochs=5, learning_rate=8e-4,
                             warmup_steps=30, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Runs(itr, ltr),
                      eval_dataset=Runs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "autosal").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Longformer token tagger marking flushing / stable / bubble readings of a"
                " bench salinometer, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
