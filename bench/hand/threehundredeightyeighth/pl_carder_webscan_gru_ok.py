"""PyTorch Lightning: a GRU reads a carding machine's web monitor, a camera that scans across
the thin web leaving the doffer once a second, and raises the three alarms a card tenter acts
on (multi-label, any number at once): ``neps`` (the nep count per scan runs over 18 on average:
worn or loaded wire), ``thin`` (a run of 5 or more scans at under 85 % of the mean web
density: a choke in the feed) and ``periodic`` (the density swings with a period of 6-9 scans,
more than 4 %: a damaged doffer or a bent stripping roller). Each scan gives three numbers:
neps per scan (Poisson around a card's rate of 8-26), web density (% of nominal, with the slow
drift of the feed) and the across-web density CV (%). Input: (60, 3) scans, each column scaled
by a fixed factor (neps / 20, (density - 100) / 10, CV / 10). Model: GRU 3→40 (one layer),
max over the scans of its outputs → Linear 40→3 (one logit per alarm); BCE-with-logits, Adam 5e-3 with
CosineAnnealingLR(T_max=14) from ``configure_optimizers``, batch 40, 14 epochs, 1600
recordings, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``webmon/version_0/metrics.csv`` (``bce_step`` every 8 steps, ``bce_epoch`` /
``val_bce`` / ``val_f1_neps`` / ``val_f1_thin`` / ``val_f1_periodic`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``webmon/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 60
ALARMS = ["neps", "thin", "periodic"]


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    rate = 8 + 18 * r(n, 1)
    neps = torch.poisson(rate.expand(n, T).contiguous(), generator=g)
    dens = 100 + 3 * torch.sin(2 * math.pi * t / (30 + 60 * r(n, 1)) + 6.3 * r(n, 1))
    dens = dens + 1.2 * torch.randn(n, T, generator=g)
    has_thin = r(n, 1) < 0.35
    start, length = (50 * r(n, 1)).long(), 3 + (6 * r(n, 1)).long()
    run = (t >= start) & (t < start + length) & has_thin
    dens = torch.where(run, dens * (0.78 + 0.04 * r(n, 1)), dens)
    swing = torch.where(r(n, 1) < 0.35, 8 * r(n, 1), torch.zeros(n, 1))
    dens = dens + swing * torch.sin(2 * math.pi * t / (6 + 3 * r(n, 1)) + 6.3 * r(n, 1))
    cv = 3 + 0.05 * (rate - 8) + 0.3 * swing + 0.5 * r(n, T)
    y = torch.stack([rate.squeeze(1) > 18, has_thin.squeeze(1) & (length.squeeze(1) >= 5),
                     swing.squeeze(1) > 4], 1).float()
    x = torch.stack([neps / 20, (dens - 100) / 10, cv / 10], 2)
    return x, y


class WebScanGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 40, batch_first=True)
        self.head = nn.Linear(40, 3)

    def forward(self, x):
        seq, _ = self.gru(x)
        return self.head(seq.max(1).values)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        p = (logits > 0).float()
        for i, name in enumerate(ALARMS):
            tp = (p[:, i] * y[:, i]).sum()
            f1 = 2 * tp / (p[:, i].sum() + y[:, i].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return WebScanGRU()


def main():
    from _threehundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1600, g)
    xva, yva = scans(400, g)
    print("alarm shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="webmon"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="webmon/version_0/checkpoints/last.ckpt",
           log="webmon/version_0/metrics.csv",
           what="Lightning GRU raising nep / thin-place / periodic alarms from a carding"
                " machine's web monitor (healthy)")


if __name__ == "__main__":
    main()
