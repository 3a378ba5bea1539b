"""PyTorch Lightning: a GRU gives, hour by hour, how many people walk through a covered
shopping arcade, so the arcade's beadles can set their rota (two on the gates, more at the
lunch and after-work peaks). Footfall per hour (opening 8:00-20:00, 13 hours a day, a week
per record): a base level by weekday (Saturday highest, Sunday short), a lunchtime and an
after-work peak, and rain: a shower drives people off the open street into the arcade
(footfall up 30-70 % while it rains, fading over the next two hours as they linger); cold
adds a little too. Input per hour: (rain mm/h, temperature °C / 10, hour sin / cos, day of
week one-hot 7). Target per hour: footfall / 1000. Model: GRU 11→32, one layer, Linear
32→1 per hour; MSE, Adam with a OneCycleLR (peak 1e-2) (per step, ``interval: "step"``) from
``configure_optimizers``, batch 20, 12 epochs, 300 weeks, validation on 80.
Healthy; numbers in the README.
Log: CSVLogger ``rota/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch`` /
``val_mse`` / ``val_mae_people`` / ``val_mae_rain_hours`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``rota/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

HOURS = 13
DAYS = 7
BASE = torch.tensor([900.0, 950, 1000, 1000, 1150, 1600, 600])  # Mon..Sun, per hour


def weeks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    T = HOURS * DAYS
    hod = 8 + torch.arange(T) % HOURS
    dow = torch.arange(T) // HOURS
    shape = 1 + 0.6 * torch.exp(-0.5 * ((hod - 12.5) / 1.0) ** 2) \
        + 0.5 * torch.exp(-0.5 * ((hod - 17.5) / 1.0) ** 2)
    shape = torch.where((dow == 6) & ((hod < 10) | (hod > 16)), 0.2 * shape, shape)
    wet = (r(n, T) < 0.12).float()
    wet = torch.maximum(wet, torch.roll(wet, 1, 1) * (r(n, T) < 0.6).float())
    rain = wet * (0.3 + 4 * r(n, T) ** 2)
    temp = 6 + 10 * r(n, 1) + 4 * torch.sin(math.pi * (hod - 8) / 12) + torch.randn(n, T, generator=g)
    lift = 0.3 + 0.4 * r(n, 1)
    shelter = torch.zeros(n, T)
    s = torch.zeros(n)
    for t in range(T):
        s = 0.45 * s + (rain[:, t] > 0).float() * (1 - 0.45)
        shelter[:, t] = s
    trade = 0.85 + 0.3 * r(n, 1)
    foot = BASE[dow] * shape * trade * (1 + lift * shelter) * (1 + 0.01 * (12 - temp).clamp(min=0))
    foot = torch.poisson(foot, generator=g)
    x = torch.cat([torch.stack([rain, temp / 10, torch.sin(2 * math.pi * hod / 24).expand(n, T),
                                torch.cos(2 * math.pi * hod / 24).expand(n, T)], 2),
                   F.one_hot(dow, 7).float().expand(n, T, 7)], 2)
    return x, (foot / 1000).unsqueeze(2), rain > 0


class Footfall(L.LightningModule):
    def __init__(self, steps=180):
        super().__init__()
        self.steps = steps
        self.gru = nn.GRU(11, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y, _ = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y, wet = batch
        err = (self(x) - y).squeeze(2)
        self.log("val_mse", (err ** 2).mean())
        self.log("val_mae_people", 1000 * err.abs().mean())
        self.log("val_mae_rain_hours", 1000 * err.abs()[wet].mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=self.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return Footfall()


def main():
    from _threehundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, wtr = weeks(300, g)
    xva, yva, wva = weeks(80, g)
    print("footfall / h", (1000 * ytr).mean().item(), (1000 * ytr).max().item(),
          "wet share", wtr.float().mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="rota"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr, wtr), batch_size=20, shuffle=True),
                DataLoader(TensorDataset(xva, yva, wva), batch_size=80))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="rota/version_0/checkpoints/last.ckpt",
           log="rota/version_0/metrics.csv",
           what="Lightning GRU giving hourly footfall through a covered arcade (rain drives"
                " people in) for the beadles' rota (healthy)")


if __name__ == "__main__":
    main()
