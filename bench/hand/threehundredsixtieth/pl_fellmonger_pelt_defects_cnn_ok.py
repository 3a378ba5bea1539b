"""PyTorch Lightning: a 2-D CNN with batch norm flags the defects a fellmonger's sorter looks
for on the flesh side of a limed sheepskin pelt, from a 24 × 24 patch of the grading-table
camera (grey levels), so the pelts can be sent to the right tanner: cockle (clusters of
small raised bright nodules from ked bites), scratches (thin bright streaks at any angle),
seed (short dark specks of grass seed worked into the skin) and slip (a dull patch where the
wool slipped and the grain is damaged). Each defect is present with its own rate (22-35 %),
independently; the pelt has its own grain texture, lighting gradient and camera noise.
Input: (1, 24, 24) grey level - 0.5. Model: Conv2d 1→16 (k3) + BN + ReLU + MaxPool2,
Conv2d 16→32 (k3) + BN + ReLU + MaxPool2, Conv2d 32→32 (k3) + BN + ReLU, global average
pool, Linear 32→4; BCE with logits per defect (multi-label), Adam 2e-3 with ExponentialLR
(0.85 per epoch) from ``configure_optimizers``, batch 48, 8 epochs, 1440 patches,
validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``pelthouse/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch`` / ``val_bce`` / ``val_exact`` / ``val_f1_seed`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``pelthouse/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 24
DEFECTS = ["cockle", "scratch", "seed", "slip"]


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    labels = (r(n, 4) < torch.tensor([0.3, 0.25, 0.35, 0.22])).float()
    img = 0.5 + 0.08 * (r(n, 1, 1) - 0.5) + 0.004 * (r(n, 1, 1) - 0.5) * (xx + yy)
    grain = torch.nn.functional.avg_pool2d(torch.randn(n, 1, S, S, generator=g), 3, 1, 1)
    img = img + 0.06 * grain[:, 0]
    for i in range(n):
        if labels[i, 0]:  # cockle: a cluster of bright nodules
            cy, cx = 4 + 16 * r(2)
            for _ in range(int(4 + 5 * r(1))):
                py, px = cy + 3 * torch.randn(1, generator=g), cx + 3 * torch.randn(1, generator=g)
                img[i] += 0.25 * torch.exp(-((yy - py) ** 2 + (xx - px) ** 2) / 0.8)
        if labels[i, 1]:  # scratch: a thin bright streak
            a = math.pi * r(1)
            c = S / 2 + 6 * (r(1) - 0.5)
            dist = (torch.cos(a) * (xx - c) + torch.sin(a) * (yy - c)).abs()
            along = (-torch.sin(a) * (xx - c) + torch.cos(a) * (yy - c)).abs()
            img[i] += 0.2 * ((dist < 0.7) & (along < 5 + 5 * r(1))).float()
        if labels[i, 2]:  # seed: short dark specks
            for _ in range(int(2 + 3 * r(1))):
                py, px = 2 + 20 * r(2)
                img[i] -= 0.3 * torch.exp(-((yy - py) ** 2 / 0.5 + (xx - px) ** 2 / 2.0))
        if labels[i, 3]:  # slip: a dull, flat patch
            cy, cx = 5 + 14 * r(2)
            rad = 4 + 3 * r(1)
            blob = torch.sigmoid((rad - ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()) * 1.5)
            img[i] = img[i] * (1 - blob) + (0.36 + 0.02 * grain[i, 0]) * blob
    img = img + 0.03 * torch.randn(n, S, S, generator=g)
    return (img - 0.5).unsqueeze(1), labels


class PeltCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        block = lambda i, o: [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]  # noqa: E731
        self.net = nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                                 *block(32, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                 nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 2] * y[:, 2]).sum()
        f1_seed = 2 * tp / (pred[:, 2].sum() + y[:, 2].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_f1_seed", f1_seed)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return PeltCNN()


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1440, g)
    xva, yva = patches(360, g)
    print("defect rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="pelthouse"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pelthouse/version_0/checkpoints/last.ckpt",
           log="pelthouse/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm flagging cockle / scratch / seed / slip on a"
                " limed sheepskin pelt patch, multi-label (healthy)")


if __name__ == "__main__":
    main()
