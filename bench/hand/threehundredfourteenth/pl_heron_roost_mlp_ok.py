"""PyTorch Lightning: an MLP with dropout says which of 4 wading birds a winter roost
count will find at a wetland roost site (multi-label: grey heron, little egret, great
egret, cattle egret, each present or absent), from what the volunteer enters before the
count: water depth at the roost (cm), reed cover %, tree height (m), distance to the
nearest grazed pasture (km), to the nearest fish pond (km), air temperature, month (sin /
cos), hours after sunset and disturbance score (0-3). Grey herons want tall trees and fish;
little egrets want shallow water and reed; great egrets deeper open water and fish; cattle
egrets pasture and warm evenings; everyone leaves disturbed roosts. Inputs standardised.
Model: 10 → 48 → 48 → 4, ReLU, dropout 0.2; BCE with logits, SGD 0.05 momentum 0.9
nesterov with OneCycleLR (per step) from ``configure_optimizers``, batch 32, 15 epochs
over 1000 roost visits, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``roostcount/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch`` / ``val_bce`` / ``val_f1_micro`` / ``val_exact`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``roostcount/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 15
STEPS = math.ceil(1000 / 32)


def visits(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 60 * r(n)
    reed = 100 * r(n)
    tree = 25 * r(n)
    pasture = 5 * r(n) ** 2
    pond = 8 * r(n) ** 2
    month = torch.randint(0, 12, (n,), generator=g).float()
    temp = 8 - 6 * torch.cos(2 * math.pi * month / 12) + 3 * torch.randn(n, generator=g)
    hours = 3 * r(n)
    dist = torch.randint(0, 4, (n,), generator=g).float()
    s = torch.stack([0.25 * tree - 0.6 * pond - 2.0,
                     2.0 - 0.08 * depth + 0.03 * reed - 1.0,
                     0.06 * depth - 0.5 * pond - 1.8,
                     -1.2 * pasture + 0.25 * temp - 1.0], 1) - 1.0 * dist.unsqueeze(1) + 1.2
    y = (torch.sigmoid(2 * s) > r(n, 4)).float()
    x = torch.stack([depth, reed, tree, pasture, pond, temp, torch.sin(2 * math.pi * month / 12),
                     torch.cos(2 * math.pi * month / 12), hours, dist], 1)
    return x, y


class RoostMLP(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(10, 48), nn.ReLU(), nn.Dropout(0.2), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Dropout(0.2), nn.Linear(48, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logit = self(x)
        p = (logit > 0).float()
        tp = (p * y).sum()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logit, y))
        self.log("val_f1_micro", 2 * tp / (p.sum() + y.sum()).clamp(min=1))
        self.log("val_exact", (p == y).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9, nesterov=True)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=EPOCHS * STEPS)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return RoostMLP()


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = visits(1000, g)
    xva, yva = visits(300, g)
    print("presence", ytr.mean(0))
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="roostcount"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="roostcount/version_0/checkpoints/last.ckpt",
           log="roostcount/version_0/metrics.csv",
           what="Lightning multi-label MLP saying which herons and egrets a winter roost"
                " count will find from the site and evening (healthy)")


if __name__ == "__main__":
    main()
