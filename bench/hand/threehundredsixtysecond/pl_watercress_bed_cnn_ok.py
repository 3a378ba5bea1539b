"""PyTorch Lightning: a 1-D CNN with batch norm watches a watercress farm's bed outflow for
the last 48 hours (one reading every 30 min, 96 steps: water temperature °C, spring flow
l/s, nitrate mg/l) and raises any of three flags for the grower (multi-label): frost risk
(the water leaving the bed dropped below 8.5 °C, so the crop needs the frost covers and
more flow), low flow (the last 12 hours averaged under 22 l/s: the borehole pump or the
spring is failing), and a nitrate pulse (above 12 mg/l for 2 hours running, runoff from the
fields after rain, which the buyers test for). The beds are fed by chalk springs at about
10.5 °C; clear nights pull the outflow down by up to 3.5 °C near dawn, cloudy days hardly move
it; the flow drifts with the aquifer and a pump fault sags it over a day; nitrate sits at
6-10 mg/l with rain-driven pulses lasting 1-10 hours; sensor noise on all three.
Input: (3, 96) standardised per channel with the train mean / std. Model: Conv1d 3→16 (k7)
+ BN + ReLU + MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN +
ReLU, global max pool, Linear 32→3; BCE with logits, AdamW 3e-3 (weight decay 1e-4) with
OneCycleLR stepped per batch from ``configure_optimizers``, batch 48, 8 epochs, 960 windows,
validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``bedwatch/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact`` / ``val_f1_frost`` / ``val_f1_nitrate`` per epoch, ``lr-AdamW``
from a LearningRateMonitor); checkpoint ``ModelCheckpoint(save_last=True)`` →
``bedwatch/version_0/checkpoints/last.ckpt`` beside the best by ``val_bce``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 96
FLAGS = ["frost_risk", "low_flow", "nitrate_pulse"]


def beds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = torch.arange(STEPS).float() / 2  # hours
    clear = r(n, 2)  # how clear the two nights are
    night = torch.zeros(n, STEPS)
    for k in range(2):
        dawn = 6 + 24 * k + r(n, 1) * 2  # coldest near dawn
        night = night + clear[:, k:k + 1] ** 2 * 3.5 * torch.exp(-((h - dawn) / 4) ** 2)
    temp = 10.5 + 0.4 * torch.randn(n, 1, generator=g) - night
    temp = temp + 0.6 * clear.mean(1, keepdim=True) * torch.exp(-((h % 24 - 14) / 3) ** 2)
    base = 20 + 22 * r(n, 1)
    sag_at = r(n, 1) * 60
    sag = (r(n, 1) < 0.3) * (4 + 10 * r(n, 1)) * ((h - sag_at) / 12).clamp(0, 1)
    flow = base - sag + 1.0 * torch.sin(2 * math.pi * (h / 24 + r(n, 1)))
    nit = 6 + 4 * r(n, 1) + torch.zeros(n, STEPS)
    at, ln = r(n, 1) * 44, 1 + 9 * r(n, 1)
    pulse = (r(n, 1) < 0.45) * (3 + 6 * r(n, 1)) * ((h >= at) & (h < at + ln))
    nit = nit + pulse
    x = torch.stack([temp + 0.08 * torch.randn(n, STEPS, generator=g),
                     flow + 0.6 * torch.randn(n, STEPS, generator=g),
                     nit + 0.3 * torch.randn(n, STEPS, generator=g)], 1)
    frost = x[:, 0].min(1).values < 8.5
    low = x[:, 1, -24:].mean(1) < 22
    run = -F.max_pool1d(-x[:, 2:3], 4, stride=1).squeeze(1)  # 2 h running minimum
    spike = (run > 12).any(1)
    return x, torch.stack([frost, low, spike], 1).float()


class BedWatch(L.LightningModule):
    def __init__(self, steps_per_epoch=20, epochs=8):
        super().__init__()
        self.steps_per_epoch, self.epochs = steps_per_epoch, epochs
        self.net = nn.Sequential(
            nn.Conv1d(3, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
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
        z = self(x)
        p = (z > 0).float()

        def f1(k):
            tp = (p[:, k] * y[:, k]).sum()
            return 2 * tp / (p[:, k].sum() + y[:, k].sum()).clamp(min=1)

        self.log("val_bce", F.binary_cross_entropy_with_logits(z, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        self.log("val_f1_frost", f1(0))
        self.log("val_f1_nitrate", f1(2))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=3e-3, epochs=self.epochs, steps_per_epoch=self.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return BedWatch()


def main():
    from _threehundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = beds(960, g)
    rva, yva = beds(240, g)
    mean, std = rtr.mean((0, 2), keepdim=True), rtr.std((0, 2), keepdim=True)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("flag rates", ytr.mean(0).tolist(), yva.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="bedwatch"),
                        callbacks=[ModelCheckpoint(save_last=True, monitor="val_bce",
                                                   filename="best-{epoch}"),
                                   LearningRateMonitor(logging_interval="epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bedwatch/version_0/checkpoints/last.ckpt",
           log="bedwatch/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm raising frost / low-flow / nitrate flags"
                " (multi-label) from a watercress bed's outflow sensors (healthy)")


if __name__ == "__main__":
    main()
