"""PyTorch Lightning: a GRU reads the laser gauge at the end of a ropewalk's laying machine
and flags what is wrong with the last metre of three-strand rope (multi-label, any number of
the three at once): a hockle (a kink where the twist has run back, a sharp local bump in
diameter and a jump in the lay angle), a thin strand (one of the three strands spun light: a
dip in diameter once every lay length, as that strand comes round) and a slack lay (the
rope laid with too little hardening twist: fatter, and a lay angle under 30°). Two channels
at 96 points along the rope: diameter deviation from nominal (mm) and surface lay angle
(degrees - 35, from a second camera), with the three-strand ripple at the lay length (lay
length 90-120 mm, read off the lay angle), gauge noise and a slow drift of the rope's
position in the gauge.
Input: (96, 2) along the rope, batch first. Model: GRU 2→48 (one layer), max over the 96 outputs,
Linear 48→3; BCE with logits, AdamW 4e-3 (weight decay 1e-3) with CosineAnnealingLR over 10
epochs from ``configure_optimizers``, batch 64, 10 epochs, 1280 traces, validation on 320.
Healthy; numbers in the README.
Log: CSVLogger ``ropewalk/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``,
``val_bce`` / ``val_exact_match`` / ``val_f1_thin`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``ropewalk/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 96
STEP_MM = 1000 / T


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    labels = (r(n, 3) < torch.tensor([0.3, 0.3, 0.3])).float()
    hockle, thin, slack = labels[:, 0:1], labels[:, 1:2], labels[:, 2:3]
    pos = torch.arange(T).float() * STEP_MM
    lay = 90 + 30 * r(n, 1) + 25 * slack
    ph = 2 * math.pi * r(n, 1)
    w = 2 * math.pi * pos / lay
    diam = 0.25 * torch.cos(3 * w + ph) + 0.6 * slack - 0.3 * thin + 0.1 * (r(n, 1) - 0.5)
    diam = diam - thin * (0.8 + 0.4 * r(n, 1)) * torch.exp(-(torch.remainder(w + ph, 2 * math.pi)
                                                             - math.pi) ** 2 / 1.0)
    angle = -6 * slack + 2 * (r(n, 1) - 0.5) + 0.8 * torch.sin(3 * w + ph)
    at = 10 + (T - 20) * r(n, 1)
    bump = torch.exp(-(torch.arange(T).float() - at) ** 2 / 3) * hockle
    diam = diam + 1.5 * bump
    angle = angle + 10 * bump * torch.sign(r(n, 1) - 0.5)
    drift = 0.2 * torch.sin(pos / 1000 * math.pi * r(n, 1) + ph)
    diam = diam + drift + 0.08 * torch.randn(n, T, generator=g)
    angle = angle + 0.5 * torch.randn(n, T, generator=g)
    return torch.stack([diam, angle / 5], 2), labels


class LayGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Linear(48, 3)

    def forward(self, x):
        seq, _ = self.gru(x)
        return self.head(seq.amax(1))  # strongest response along the metre

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 1] * y[:, 1]).sum()
        f1 = 2 * tp / (pred[:, 1].sum() + y[:, 1].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact_match", (pred == y).all(1).float().mean())
        self.log("val_f1_thin", f1)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=4e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)]


def build():
    torch.manual_seed(0)
    return LayGRU()


def main():
    from _threehundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1280, g)
    xva, yva = traces(320, g)
    print("label rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="ropewalk"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=320))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ropewalk/version_0/checkpoints/last.ckpt",
           log="ropewalk/version_0/metrics.csv",
           what="Lightning GRU flagging hockles, a thin strand and slack lay in a laser-gauge"
                " trace of three-strand rope, multi-label (healthy)")


if __name__ == "__main__":
    main()
