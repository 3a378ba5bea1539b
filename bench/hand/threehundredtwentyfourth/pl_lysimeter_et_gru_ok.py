"""PyTorch Lightning: a GRU reads 48 hours of a weighing lysimeter's weather station (net
radiation, air temperature, vapour pressure deficit, wind at 2 m; hourly, 48 readings) and
predicts the grass reference evapotranspiration the lysimeter will weigh over the next day
(mm/d), so the irrigation scheduler can fill in days when the load cells are being serviced.
The daily loss follows a Penman-Monteith-like rule: a radiation term weighted by the slope of
the saturation curve plus an aerodynamic term (wind × VPD), reduced when the soil in the
tank has dried (soil water is not measured; it follows the recent rain-free hours, seen
only through the VPD history). Target: (ET - 4) / 1.5. Input: (48, 4) standardised with
fixed station constants.
GRU 4→32, 1 layer, last state → linear 32→16→1; Huber loss (delta 1), RMSprop 2e-3 with
StepLR (×0.5 every 5 epochs) from ``configure_optimizers``, batch 40, 14 epochs, 1600 days,
validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``weighing/version_0/metrics.csv`` (``huber_step`` every 8 steps,
``huber_epoch`` / ``val_huber`` / ``val_rmse_mm`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``weighing/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 48


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hr = torch.arange(H).float()
    sun = torch.clamp(torch.sin((hr % 24 - 6) / 12 * torch.pi), min=0)
    cloud = 0.2 + 0.8 * r(n, 1)
    rn = 650 * cloud * sun + 20 * torch.randn(n, H, generator=g)  # W/m2
    tmean = 8 + 20 * r(n, 1)
    temp = tmean + 5 * sun * cloud + 0.5 * torch.randn(n, H, generator=g)
    es = 0.611 * torch.exp(17.27 * temp / (temp + 237.3))
    rh = (0.35 + 0.55 * r(n, 1)) * (1 - 0.25 * sun)
    vpd = es * (1 - rh)
    wind = 0.5 + 4 * r(n, 1) + 0.4 * torch.randn(n, H, generator=g).abs()
    dry = r(n, 1)  # unmeasured soil dryness, loosely tied to a dry air mass
    vpd = vpd * (0.8 + 0.4 * dry)
    t_last = temp[:, -24:].mean(1, keepdim=True)
    delta = 4098 * 0.611 * torch.exp(17.27 * t_last / (t_last + 237.3)) / (t_last + 237.3) ** 2
    rad = 0.0864 * rn[:, -24:].clamp(min=0).mean(1, keepdim=True) / 2.45
    aero = 0.9 * wind[:, -24:].mean(1, keepdim=True) * vpd[:, -24:].mean(1, keepdim=True)
    et = (delta / (delta + 0.066)) * rad * 1.1 + aero * 0.066 / (delta + 0.066) * 1.6
    et = et * (1 - 0.35 * dry ** 3) + 0.2 * torch.randn(n, 1, generator=g)
    x = torch.stack([rn / 300, (temp - 18) / 8, vpd / 1.5, (wind - 2.5) / 1.5], 2)
    return x, (et - 4) / 1.5


class EtGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y)
        self.log("huber", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y))
        self.log("val_rmse_mm", 1.5 * F.mse_loss(p, y).sqrt())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return EtGRU()


def main():
    from _threehundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1600, g)
    xva, yva = days(400, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="weighing"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="weighing/version_0/checkpoints/last.ckpt",
           log="weighing/version_0/metrics.csv",
           what="Lightning GRU predicting next-day weighing-lysimeter evapotranspiration from 48"
                " hours of station weather (healthy)")


if __name__ == "__main__":
    main()
