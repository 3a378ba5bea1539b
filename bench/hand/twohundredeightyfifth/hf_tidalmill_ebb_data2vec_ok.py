"""Hugging Face Trainer: a tiny Data2Vec-text token tagger (``Data2VecTextConfig``: vocabulary
40, hidden 64, 2 layers, 4 heads, FFN 128, built from the config, no download;
``Data2VecTextForTokenClassification``) marks, for each half-hour of a day's predicted tides at
a tidal mill's dam, what the mill will be doing: 0 = filling (the flood stands above the pond,
the flap gates are open), 1 = holding (pond shut in, waiting for the ebb to give enough head),
2 = grinding (pond ≥ 0.9 m above the tide, the wheel draws the pond down 0.3 m per half-hour,
down to a 1.0 m floor). Tides: semi-diurnal, tidal range 1.6-4.6 m from small tides to big
ones, a diurnal inequality, mean level 2.4 m ± 0.4 m surge, 3 cm noise on the prediction; the
pond is capped at
the dam crest (3.6 m). Tokens: a CLS token (0) then 48 heights quantised to 0.2 m levels
(token = level + 4); the CLS label is -100.
AdamW 2e-3, linear schedule with 30 warmup steps, batch 24, 6 epochs of 1200 days, eval every
40 steps on 300 days (token accuracy, grinding precision / recall), loss every 10 steps,
checkpoint every 40 steps (``tides/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    Data2VecTextConfig,
    Data2VecTextForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 48


def days(n, g):
    u = torch.rand(n, 5, generator=g)
    t = torch.arange(T).float() * 0.5
    rng = 1.6 + 3.0 * u[:, :1]
    ph = 2 * math.pi * u[:, 1:2]
    mean = 2.4 + 0.8 * (u[:, 3:4] - 0.5)
    h = mean + rng / 2 * torch.cos(2 * math.pi * t / 12.42 + ph) \
        + 0.25 * u[:, 2:3] * rng / 2 * torch.cos(2 * math.pi * t / 24.84 + ph + 1.0)
    h = h + 0.03 * torch.randn(n, T, generator=g)
    pond = mean.squeeze(1) + rng.squeeze(1) / 2 * torch.cos(ph.squeeze(1) - 0.5)
    pond = pond.clamp(1.0, 3.6)
    state = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        hk = h[:, k]
        fill = hk > pond
        pond = torch.where(fill, torch.minimum(hk, torch.tensor(3.6)), pond)
        grind = ~fill & (pond - hk >= 0.9) & (pond > 1.0)
        state[:, k] = torch.where(fill, 0, torch.where(grind, 2, 1))
        pond = torch.where(grind, pond - 0.3, pond)
    ids = (h / 0.2).round().clamp(0, 33).long() + 4
    ids = torch.cat([torch.zeros(n, 1, dtype=torch.long), ids], 1)
    labels = torch.cat([torch.full((n, 1), -100), state], 1)
    return ids, labels


class Days(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Data2VecTextConfig(vocab_size=40, hidden_size=64, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=128,
                                max_position_embeddings=64, num_labels=3, pad_token_id=1,
                                hidden_dropout_prob=0.05, attention_probs_dropout_prob=0.0)
    return Data2VecTextForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    keep = y != -100
    p, y = p[keep], y[keep]
    tp = float(((p == 2) & (y == 2)).sum())
    return {"token_accuracy": float((p == y).mean()),
            "grind_precision": tp / max(float((p == 2).sum()), 1.0),
            "grind_recall": tp / max(float((y == 2).sum()), 1.0)}


def main():
    from _twohundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = days(1200, g)
    iva, lva = days(300, g)
    print("state shares", [round(float((ltr[:, 1:] == k).float().mean()), 3) for k in range(3)])
    args = TrainingArguments(str(out / "tides"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr, ltr),
                      eval_dataset=Days(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tides").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Data2Vec-text token tagger marking a tidal mill's filling / holding /"
                " grinding half-hours from the day's tides, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
