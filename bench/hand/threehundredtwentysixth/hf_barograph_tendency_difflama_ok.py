"""Hugging Face Trainer: a tiny DiffLlama token classifier (``DiffLlamaConfig``: vocabulary
34, 48 wide, 2 layers, 4 heads, built from the config, no download;
``DiffLlamaForTokenClassification``) reads a ship's barograph trace hour by hour and gives,
at every hour, the pressure tendency the observer reports in the weather message: the change
over the last 3 hours, in five classes (falling rapidly < -2 hPa, falling, steady within
±0.5 hPa, rising, rising rapidly > +2 hPa). Traces are 48 hourly readings: a base level of
990-1030 hPa, a passing pressure system (2-14 hPa amplitude, 30-110 h period, random phase),
a slow trend, the semidiurnal atmospheric tide (0.3-0.8 hPa, 12 h) and pen noise (0.08 hPa).
Each hour is one token: the change since the previous hour, binned in 0.25 hPa steps from
-4 to +4 hPa (tokens 2-33; 0 pad, 1 first hour). The model is causal, so the label at hour t
can only use hours up to t; the first 3 hours are not labelled (-100).
AdamW 2e-3 with cosine decay and 15 warmup steps (10 %), weight decay 0.01, batch 40, 5 epochs of 1200
traces, eval and checkpoint every epoch (30 steps) on 300 traces (tendency accuracy and the
accuracy on the two "rapidly" classes), loss every 10 steps (``barotend/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    DiffLlamaConfig,
    DiffLlamaForTokenClassification,
    Trainer,
    TrainingArguments,
)

HOURS = 48
BINS = 32


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(HOURS).float()
    base = 990 + 40 * r(n, 1)
    amp = 2 + 12 * r(n, 1)
    period = 30 + 80 * r(n, 1)
    ph = 2 * math.pi * r(n, 1)
    trend = (r(n, 1) - 0.5) * 0.1 * t
    tide = (0.3 + 0.5 * r(n, 1)) * torch.cos(2 * math.pi * (t - 10) / 12 + 0.3 * r(n, 1))
    p = base + amp * torch.sin(2 * math.pi * t / period + ph) + trend + tide
    p = p + 0.08 * torch.randn(n, HOURS, generator=g)
    d = p[:, 1:] - p[:, :-1]
    tok = 2 + ((d + 4) / 8 * BINS).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    ppp = torch.full((n, HOURS), 0.0)
    ppp[:, 3:] = p[:, 3:] - p[:, :-3]
    cls = torch.bucketize(ppp, torch.tensor([-2.0, -0.5, 0.5, 2.0]), right=True)
    cls[:, :3] = -100
    return ids, cls


class Traces(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HOURS, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DiffLlamaConfig(vocab_size=2 + BINS, hidden_size=48, intermediate_size=96,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                             max_position_embeddings=64, num_labels=5, pad_token_id=0)
    return DiffLlamaForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    rapid = m & ((y == 0) | (y == 4))
    return {"tendency_acc": float((p[m] == y[m]).mean()),
            "rapid_acc": float((p[rapid] == y[rapid]).mean())}


def main():
    from _threehundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = traces(1200, g)
    iva, lva = traces(300, g)
    print("classes", torch.bincount(ltr[ltr >= 0], minlength=5).tolist())
    args = TrainingArguments(str(out / "barotend"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Traces(itr, ltr),
                      eval_dataset=Traces(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "barotend").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DiffLlama token classifier giving the 3-hour pressure tendency class at"
                " every hour of a barograph trace, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
