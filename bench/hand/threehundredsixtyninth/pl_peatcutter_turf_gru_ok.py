"""PyTorch Lightning: a GRU follows the moisture of hand-cut peat turves day by day on the
spreading ground, so the peat-cutter knows when to foot them (stand them up in little
stacks) and when they are dry enough to draw home (below about 35 % water). Each bank is
30 days from cutting: daily rain (mm), mean air temperature, wind speed, sunshine hours,
whether the turves stand footed yet (footing day 7-12), and the cutting-day moisture (the
same on every day). The moisture follows a drying law: each day it loses a share of its
excess over the air-dry level (25 %) that grows with warmth, wind and sun and is half as
large again once footed; rain puts water back into the turf, more the drier it is; the
daily reading (a moisture meter) has about 1 % noise. Cutting-day moisture 84-92 %.
Input: (30, 6) standardised by the training means. Target per day: (moisture % - 60) / 20.
Model: GRU 6→32, Linear 32→1 on every day; MSE, Adam 3e-3 with CosineAnnealingLR (12
epochs) from ``configure_optimizers``, batch 16, 12 epochs, 480 banks, validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``bogbank/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch``
/ ``val_mse`` / ``val_mae_pct`` / ``val_mae_last_week_pct`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``bogbank/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 30


def banks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wet = (r(n, DAYS) < 0.35).float()
    rain = wet * (-4.0 * torch.log(r(n, DAYS) + 1e-6))
    temp = 9 + 6 * r(n, 1) + 3 * torch.randn(n, DAYS, generator=g)
    wind = (3 + 4 * r(n, DAYS)) * (1 + 0.3 * torch.randn(n, 1, generator=g)).clamp(0.4, 2)
    sun = ((1 - wet) * (2 + 9 * r(n, DAYS)) + wet * 1.5 * r(n, DAYS))
    foot_day = torch.randint(7, 13, (n, 1), generator=g)
    footed = (torch.arange(DAYS).unsqueeze(0) >= foot_day).float()
    m0 = 84 + 8 * r(n)
    m, ms = m0.clone(), []
    for t in range(DAYS):
        k = (0.0025 * temp[:, t].clamp(min=0) + 0.006 * wind[:, t] + 0.004 * sun[:, t])
        k = k * (1 + 0.5 * footed[:, t])
        m = m - k * (m - 25) + 0.25 * rain[:, t] * (95 - m) / 95
        ms.append(m)
    y = torch.stack(ms, 1) + 1.0 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([rain, temp, wind, sun, footed, m0.unsqueeze(1).expand(n, DAYS)], 2)
    return x, ((y - 60) / 20).unsqueeze(2)


class TurfGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        err = (pred - y).abs() * 20
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_pct", err.mean())
        self.log("val_mae_last_week_pct", err[:, -7:].mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return TurfGRU()


def main():
    from _threehundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = banks(480, g)
    xva, yva = banks(120, g)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("moisture at day 30", (ytr[:, -1] * 20 + 60).mean().item(), "target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bogbank"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bogbank/version_0/checkpoints/last.ckpt",
           log="bogbank/version_0/metrics.csv",
           what="Lightning GRU following the daily moisture of cut peat turves on the"
                " spreading ground (per-day regression, healthy)")


if __name__ == "__main__":
    main()
