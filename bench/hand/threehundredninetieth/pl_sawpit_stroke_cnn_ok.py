"""PyTorch Lightning: a 1-D CNN with batch norm reads the two handle strain gauges of a pit
saw (the pit-man's pull on the down-stroke, the top-sawyer's lift on the up-stroke; 20 Hz,
a 3.2 s window of 64 samples) and flags, each on its own, what the sawyers are cutting into:
a knot (a sharp force spike part-way down a stroke), a wet log (raised drag on both handles
between strokes, softer stroke peaks) and dull teeth (higher peak pull and slower, longer
strokes). Strokes come at 0.45-0.8 Hz, the pull peaks at 0.6-1.0 kN; each fault is present
in about a third of the windows, independently, so a window can carry none, one or several.
Input: (2, 64) forces in kN. Model: Conv1d 2→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32
(k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global max pool, Linear 32→3
(multi-label logits); BCE with logits, Adam 2e-3 with CosineAnnealingLR over 8 epochs from
``configure_optimizers``, batch 48, 8 epochs, 1104 windows, validation on 276.
Healthy; numbers in the README.
Log: CSVLogger ``pitlog/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_knot`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``pitlog/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 20.0
N = 64


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < 0.33).float()  # knot, wet, dull
    knot, wet, dull = y[:, :1], y[:, 1:2], y[:, 2:3]
    t = torch.arange(N).float() / FS
    f = 0.55 + 0.25 * r(n, 1) - 0.12 * dull  # dull teeth: slower strokes
    ph = 2 * math.pi * (f * t + r(n, 1))
    peak = (0.6 + 0.4 * r(n, 1)) * (1 + 0.45 * dull) * (1 - 0.2 * wet)
    down = peak * torch.relu(torch.sin(ph)) ** 1.5
    up = 0.5 * peak * torch.relu(-torch.sin(ph)) ** 1.5
    drag = 0.05 + 0.25 * wet * (0.7 + 0.6 * r(n, 1))
    # a knot: one 0.25 s spike somewhere in the window, on the pull
    where = 8 + (r(n, 1) * (N - 16)).floor()
    spike = knot * (0.5 + 0.5 * r(n, 1)) * torch.exp(-0.5 * ((torch.arange(N) - where) / 1.2) ** 2)
    pull = down + drag + spike
    lift = up + drag
    x = torch.stack([pull, lift], 1) + 0.04 * torch.randn(n, 2, N, generator=g)
    return x, y


class StrokeCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 3))

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
        p = (logits > 0).float()
        tp = (p[:, 0] * y[:, 0]).sum()
        f1 = 2 * tp / (p[:, 0].sum() + y[:, 0].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        self.log("val_f1_knot", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return StrokeCNN()


def main():
    from _threehundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1104, g)
    xva, yva = windows(276, g)
    print("label rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="pitlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=276))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pitlog/version_0/checkpoints/last.ckpt",
           log="pitlog/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging knot / wet log / dull teeth from a"
                " pit saw's handle strain gauges, multi-label (healthy)")


if __name__ == "__main__":
    main()
