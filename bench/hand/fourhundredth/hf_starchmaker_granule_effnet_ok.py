"""Hugging Face Trainer: a tiny EfficientNet (``EfficientNetConfig``: 1 channel, 32 px, width
0.25, depth 0.3, initializer range 0.2, built from the config, no download; ``EfficientNetForImageClassification``)
names the plant a starch came from by its granules under the starchmaker's microscope (a
32 × 32 grey field, 1.5 µm a pixel, bright granules on a dark mount): potato (2-4 large
oval granules, 12-24 µm half-length, axis ratio 0.6-0.8), maize (7-12 middle-sized
angular granules, 4-7 µm, squared off where they packed in the kernel), wheat (two sizes:
1-3 large flat lenses, 8-13 µm, seen edge-on as often as flat, and 5-10 small round ones,
1.5-3 µm) and rice (tiny angular granules, 1.5-2.5 µm, 20-35 of them in a clump).
Uneven lamp light across the field, focus blur on some granules, camera noise.
Input: (1, 32, 32) brightness minus 0.3, over 0.3. AdamW 2e-3 with a cosine schedule and
12 warm-up steps (a tenth of the 120), weight decay 0.05, batch 40, 6 epochs of 800 fields,
eval and checkpoint each epoch on 240 fields (accuracy and wheat recall), loss every 8 steps,
one checkpoint kept (``granules/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    EfficientNetConfig,
    EfficientNetForImageClassification,
    Trainer,
    TrainingArguments,
)

PX = 32
KINDS = ["potato", "maize", "wheat", "rice"]


def fields(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(PX).float(), torch.arange(PX).float(), indexing="ij")
    imgs = torch.zeros(n, PX, PX)
    for i in range(n):
        k = int(cls[i])
        grains = []  # (half length px, axis ratio, squareness, count)
        if k == 0:
            grains.append((8 + 8 * r(1).item(), 0.6 + 0.2 * r(1).item(), 2.0, 2 + int(3 * r(1))))
        elif k == 1:
            grains.append((2.7 + 2 * r(1).item(), 0.85, 4.0, 7 + int(6 * r(1))))
        elif k == 2:
            grains.append((5.3 + 3.4 * r(1).item(), 0.35 + 0.6 * r(1).item(), 2.0,
                           1 + int(3 * r(1))))
            grains.append((1.0 + 1.0 * r(1).item(), 1.0, 2.0, 5 + int(6 * r(1))))
        else:
            grains.append((1.0 + 0.7 * r(1).item(), 0.9, 4.0, 20 + int(16 * r(1))))
        cx0, cy0 = 8 + 16 * r(1).item(), 8 + 16 * r(1).item()
        img = torch.zeros(PX, PX)
        for a, ratio, p, count in grains:
            for _ in range(count):
                spread = 4.0 if k == 3 else 12.0
                cx = (cx0 + spread * (2 * r(1).item() - 1)) % PX
                cy = (cy0 + spread * (2 * r(1).item() - 1)) % PX
                th = math.pi * r(1).item()
                aa = a * (0.85 + 0.3 * r(1).item())
                u = (xx - cx) * math.cos(th) + (yy - cy) * math.sin(th)
                v = -(xx - cx) * math.sin(th) + (yy - cy) * math.cos(th)
                d = (u.abs() / aa) ** p + (v.abs() / (aa * ratio)) ** p
                sharp = 6.0 if r(1).item() < 0.8 else 2.0
                img = torch.maximum(img, torch.sigmoid(sharp * (1 - d)) * (0.7 + 0.3 * r(1).item()))
        light = 0.8 + 0.4 * (xx / PX) * r(1).item()
        imgs[i] = img * light
    imgs = imgs + 0.05 * torch.randn(n, PX, PX, generator=g)
    return ((imgs - 0.3) / 0.3).unsqueeze(1), cls


class Fields(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = EfficientNetConfig(num_channels=1, image_size=PX, width_coefficient=0.25,
                                depth_coefficient=0.3, hidden_dim=320, dropout_rate=0.1,
                                drop_connect_rate=0.0, num_labels=4, initializer_range=0.2,
                                id2label=dict(enumerate(KINDS)),
                                label2id={k: i for i, k in enumerate(KINDS)})
    return EfficientNetForImageClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"acc": float((p == y).mean()), "wheat_recall": float((p[y == 2] == 2).mean())}


def main():
    from _fourhundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fields(800, g)
    xva, yva = fields(240, g)
    print("classes", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "granules"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Fields(xtr, ytr),
                      eval_dataset=Fields(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "granules").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny EfficientNet naming the plant (potato / maize / wheat / rice) of a starch"
                " from a microscope field of its granules, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
