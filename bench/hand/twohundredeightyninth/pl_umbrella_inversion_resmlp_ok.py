"""PyTorch Lightning: a residual MLP says whether a stick umbrella's canopy will blow inside out
in a given gust, for the wind-tunnel bench of an umbrella maker who wants to screen frame
designs before building prototypes. Physics: the gust's dynamic pressure ½·ρ·v² (ρ 1.2) on the
canopy's projected area (diameter 0.9-1.4 m) times a lift coefficient that grows as the wind
gets under the canopy (tilt -30° to +60°, wind from below positive), cut by 35 % for a vented
double canopy, against what the frame holds: rib count (6-16) × rib stiffness (steel 1.0,
aluminium 0.7, fibreglass 1.3, which also springs back) × a shorter-rib bonus for smaller
canopies. The canopy inverts when the load exceeds the frame's hold; the bench's outcome is
noisy near the edge (a logistic with scale 0.12 on the log ratio).
Inputs: gust m/s, diameter m, ribs, steel / aluminium / fibreglass one-hot, vented flag,
sin / cos of tilt (standardised inside the module); target inverted 0/1.
Linear 9→64, 3 residual blocks (LayerNorm → 64→128-GELU-128→64, added back), LayerNorm →
64→1; BCE with logits, Adam 1e-3, CosineAnnealingLR over 20 epochs, batch 128, 3000 gusts,
validation on 600 (val loss, accuracy, Brier score).
Log: ``bench/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``bench/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def gusts(n, g):
    v = 5 + 20 * torch.rand(n, generator=g)
    diam = 0.9 + 0.5 * torch.rand(n, generator=g)
    ribs = torch.randint(6, 17, (n,), generator=g).float()
    mat = torch.randint(0, 3, (n,), generator=g)
    vented = (torch.rand(n, generator=g) < 0.4).float()
    tilt = math.radians(1) * (-30 + 90 * torch.rand(n, generator=g))
    area = math.pi * diam ** 2 / 4
    cl = 0.6 + 0.9 * torch.sin(tilt).clamp(min=-0.4)
    load = 0.5 * 1.2 * v ** 2 * area * cl * (1 - 0.35 * vented)
    stiff = torch.tensor([1.0, 0.7, 1.3])[mat]
    hold = 9.0 * ribs * stiff * (1.2 / diam) ** 1.5
    logit = torch.log(load / hold) / 0.12
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    x = torch.stack([v, diam, ribs, (mat == 0).float(), (mat == 1).float(), (mat == 2).float(),
                     vented, torch.sin(tilt), torch.cos(tilt)], 1)
    return x, y.unsqueeze(1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 64))

    def forward(self, h):
        return h + self.f(h)


class InversionNet(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(), Block(), Block())
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp((x - self.mean) / self.std)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_bce", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        p = torch.sigmoid(z)
        self.log("val_bce", F.binary_cross_entropy_with_logits(z, y))
        self.log("val_acc", ((p > 0.5).float() == y).float().mean())
        self.log("val_brier", ((p - y) ** 2).mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)]


MEAN = torch.tensor([15.0, 1.15, 11.0, 0.33, 0.33, 0.33, 0.4, 0.4, 0.85])
STD = torch.tensor([5.8, 0.14, 3.2, 0.47, 0.47, 0.47, 0.49, 0.45, 0.17])


def build():
    torch.manual_seed(0)
    return InversionNet(MEAN, STD)


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = gusts(3000, g)
    xva, yva = gusts(600, g)
    print("inverted", ytr.mean().item(), xtr.mean(0), xtr.std(0))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="bench"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bench/version_0/checkpoints/last.ckpt",
           log="bench/version_0/metrics.csv",
           what="Lightning residual MLP saying whether an umbrella canopy inverts in a gust"
                " (healthy)")


if __name__ == "__main__":
    main()
