"""PyTorch Lightning: a GRU reads the last 14 days of a hive scale and weather station
(daily hive weight change in kg, maximum temperature °C, rain mm, hours of sun) and
predicts the next 3 days' total weight change, so the beekeeper knows whether the flow is
on and a super should go on before the weekend. The nectar flow follows a seasonal bloom
curve (each apiary its own peak day and strength); foragers fly above 13 °C and not in
rain, the colony eats about 0.2 kg a day, and the weight swings with dew and the bees'
own mass. Target: (3-day change kg - 1) / 2. Input: (14, 4) (kg / 1.5, (°C - 18) / 6,
rain / 5, sun / 6).
GRU 4→32, 1 layer, last state → linear 32→16 → Tanh → 16→1; Smooth L1 (beta 0.5),
AdamW 3e-3 (weight decay 1e-3) with StepLR (×0.5 every 4 epochs) from
``configure_optimizers``, batch 50, 12 epochs, 1500 windows, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``hivescale/version_0/metrics.csv`` (``sl1_step`` every 6 steps,
``sl1_epoch`` / ``val_sl1`` / ``val_mae_kg`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``hivescale/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

D = 14


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t0 = 100 + 120 * r(n, 1)  # day of year at the window start
    day = t0 + torch.arange(D + 3).float()
    peak, width, strength = 150 + 50 * r(n, 1), 12 + 15 * r(n, 1), 0.8 + 2.2 * r(n, 1)
    bloom = strength * torch.exp(-((day - peak) / width) ** 2)
    tmax = 12 + 12 * torch.sin((day - 80) / 365 * 2 * torch.pi) + 4 * torch.randn(n, D + 3, generator=g)
    rain = torch.relu(8 * torch.randn(n, D + 3, generator=g) - 4)
    sun = (10 - 0.6 * rain + 2 * torch.randn(n, D + 3, generator=g)).clamp(0, 14)
    fly = torch.sigmoid((tmax - 13) / 1.5) * torch.exp(-rain / 3) * (sun / 10).clamp(max=1)
    dw = bloom * fly - 0.2 + 0.15 * torch.randn(n, D + 3, generator=g)
    y = dw[:, D:].sum(1, keepdim=True)
    x = torch.stack([dw[:, :D] / 1.5, (tmax[:, :D] - 18) / 6, rain[:, :D] / 5, sun[:, :D] / 6], 2)
    return x, (y - 1) / 2


class ScaleGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.smooth_l1_loss(self(x), y, beta=0.5)
        self.log("sl1", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_sl1", F.smooth_l1_loss(p, y, beta=0.5))
        self.log("val_mae_kg", 2 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return ScaleGRU()


def main():
    from _threehundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1500, g)
    xva, yva = windows(400, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="hivescale"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=6)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="hivescale/version_0/checkpoints/last.ckpt",
           log="hivescale/version_0/metrics.csv",
           what="Lightning GRU predicting a hive scale's next 3 days of weight change from 14"
                " days of scale and weather (healthy)")


if __name__ == "__main__":
    main()
