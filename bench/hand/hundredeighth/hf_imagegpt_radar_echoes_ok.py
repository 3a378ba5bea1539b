"""Hugging Face Trainer: a tiny ImageGPT classifier (``ImageGPTForImageClassification`` from an
``ImageGPTConfig``: 16 tokens of vocabulary, 144 positions, n_embd 32, 2 layers, 2 heads, built
from the config, no pre-training, no download) sorts weather-radar reflectivity scans into 4
echo types: clear air / light drizzle, stratiform rain (a broad smooth 20–35 dBZ shield), isolated
convective cells (2–4 small cores of 45–60 dBZ) and a squall line (a narrow 45–60 dBZ band at a
random angle with a stratiform trailing region). 12×12 composites with speckle and ground
clutter, quantised the way the colour table does, into 5-dBZ bins (0–75 dBZ → tokens 0–15),
each scan a sequence of 144 bin tokens as ImageGPT reads colour clusters; 6 % of the training
labels are wrong (hand-labelled archive). AdamW 3e-3, weight decay 0.01, 8 warm-up steps then
linear decay, batch 32, 6 epochs of 512 scans (96 steps), eval every 16 steps (once an epoch),
train loss every 4 steps.
Healthy, if not spectacular: eval loss 0.81, 0.59, 0.48, 0.45, 0.43, 0.42 (still falling when
the schedule ends), eval accuracy 0.71, 0.72, 0.71, 0.79, 0.80, 0.82 — some cell / clutter and
line / cells scans look alike at 12×12; the train loss (0.53–0.64 at the end) stays above the
eval loss because the wrong labels sit only in training."""
import math

import torch
from transformers import ImageGPTConfig, ImageGPTForImageClassification, Trainer, TrainingArguments

S, BINS = 12, 16
TYPES = {0: "clear", 1: "stratiform", 2: "cells", 3: "squall_line"}


def scans(n, g, flip=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    dbz = torch.zeros(n, S, S)
    for i in range(n):
        k = int(y[i])
        base = 5 + 8 * r(1) + 4 * torch.randn(S, S, generator=g)
        if k == 1:
            cy, cx = r(2) * S
            shield = 22 + 10 * r(1) - 0.25 * torch.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
            base = torch.maximum(base, shield + 3 * torch.randn(S, S, generator=g))
        elif k == 2:
            for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
                cy, cx = r(2) * S
                core = (45 + 15 * r(1)) * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2.0)
                base = torch.maximum(base, core)
        elif k == 3:
            a = r(1) * math.pi
            off = (r(1) - 0.5) * 4
            d = (yy - S / 2) * torch.cos(a) - (xx - S / 2) * torch.sin(a) - off
            line = (45 + 15 * r(1)) * torch.exp(-d ** 2 / 1.5)
            trail = (25 + 5 * r(1)) * ((d > 0) & (d < 4)).float()
            base = torch.maximum(base, torch.maximum(line, trail))
        clutter = (r(S, S) < 0.03).float() * (30 + 20 * r(S, S))
        dbz[i] = torch.maximum(base, clutter)
    tokens = (dbz / 5).floor().clamp(0, BINS - 1).long().flatten(1)
    wrong = r(n) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return tokens, y


class Scans(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = ImageGPTConfig(vocab_size=BINS, n_positions=S * S, n_embd=32, n_layer=2, n_head=2,
                            num_labels=4, id2label=TYPES,
                            label2id={v: k for k, v in TYPES.items()})
    return ImageGPTForImageClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(512, g, flip=0.06)
    xva, yva = scans(192, g)
    args = TrainingArguments(str(out / "radar_igpt"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=64, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Scans(xtr, ytr),
                      eval_dataset=Scans(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "radar_igpt").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ImageGPT radar echo-type classifier, HF Trainer, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
