"""Hugging Face Trainer: a tiny YOSO encoder (``YosoConfig``: vocabulary 36, 48 wide, 2
layers, 4 heads, a 5-wide convolution over the values (``conv_window=5``), built from the
config, no download; ``YosoForTokenClassification``) tags each half-hourly reading of a
wharfinger's tide gauge log with the tide's phase, so the berth board can show which ships
may move: flood (rising), ebb (falling), high-water slack,
low-water slack. 40 readings (20 h) per log. The tide: a semidiurnal M2 (12.42 h, range
2.5-5.5 m) with S2 (12 h, 0.2-0.45 of M2, spring / neap), a small diurnal K1, mean level
3-4 m, a wind surge that drifts over the day and gauge noise of 5 cm. The phase comes
from the true rate of change: slack when it is under 0.12 of the day's peak rate, high or
low by the sign of the curvature, otherwise flood or ebb. Each reading is one token: the
level binned into 32 steps of 0.25 m from 0 to 8 m (tokens 4-35; 0 pad, 1 start); the start
token is tagged -100. The model has to read the slope from the neighbours.
AdamW 2e-3 with cosine decay and 12 warmup steps, weight decay 0.01, batch 16, 4
epochs of 800 logs, eval every 25 steps on 200 logs (tag accuracy and slack recall), loss
every 10 steps, checkpoint every 50 steps (``tidetags/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import Trainer, TrainingArguments, YosoConfig, YosoForTokenClassification

T = 40
BINS = 32


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 0.5 * torch.arange(T).float()[None] + 24 * r(n, 1)
    m2 = (1.25 + 1.5 * r(n, 1))
    s2 = m2 * (0.2 + 0.25 * r(n, 1))
    k1 = 0.15 * r(n, 1)
    p1, p2, p3 = (2 * math.pi * r(n, 1) for _ in range(3))
    w1, w2, w3 = 2 * math.pi / 12.42, 2 * math.pi / 12.0, 2 * math.pi / 23.93
    level = (3 + r(n, 1) + m2 * torch.cos(w1 * t + p1) + s2 * torch.cos(w2 * t + p2)
             + k1 * torch.cos(w3 * t + p3))
    rate = -(m2 * w1 * torch.sin(w1 * t + p1) + s2 * w2 * torch.sin(w2 * t + p2)
             + k1 * w3 * torch.sin(w3 * t + p3))
    curv = -(m2 * w1 ** 2 * torch.cos(w1 * t + p1) + s2 * w2 ** 2 * torch.cos(w2 * t + p2))
    surge = 0.3 * torch.randn(n, 1, generator=g) + torch.cumsum(0.02 * torch.randn(n, T, generator=g), 1)
    read = level + surge + 0.05 * torch.randn(n, T, generator=g)
    slack = rate.abs() < 0.12 * rate.abs().amax(1, keepdim=True)
    tag = torch.where(slack, torch.where(curv < 0, 2, 3), torch.where(rate > 0, 0, 1))
    tok = 4 + (read / 0.25).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), tag], 1)
    return ids, labels


class Gauge(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = YosoConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=96,
                        max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0, conv_window=5, pad_token_id=0,
                        num_labels=4,
                        id2label={0: "flood", 1: "ebb", 2: "high_slack", 3: "low_slack"},
                        label2id={"flood": 0, "ebb": 1, "high_slack": 2, "low_slack": 3})
    return YosoForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    s = (y == 2) | (y == 3)
    return {"tag_acc": float((p[m] == y[m]).mean()), "slack_recall": float((p[s] == y[s]).mean())}


def main():
    from _threehundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = logs(800, g)
    iva, lva = logs(200, g)
    print("tags", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "tidetags"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Gauge(itr, ltr),
                      eval_dataset=Gauge(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tidetags").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny YOSO encoder tagging each reading of a wharfinger's tide gauge log as"
                " flood / ebb / high slack / low slack, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
