"""PyTorch Lightning: a residual MLP tells an eel-catcher how many kilograms of silver eels a
fyke net set across a fen drain will hold by morning, from that night's conditions, so he
knows which of his nets to lift first. Silver eels run downstream on dark, wet autumn nights:
the catch rises with the rise in the drain's water level over the last 24 h (rain), falls
with moonlight (illuminated fraction times clear sky), is best at 9-15 °C water and poor
below 7 °C, peaks from late September to early November, and drops with each big run already
fished that season (the stock is thinned). A bigger mesh wing adds a share, a wind from up
the drain a little. Target: log1p(kg), 0-4; catches scatter by about 30 % night to night.
Input: 8 standardised numbers (level rise, moon, cloud, water temperature, day of season,
runs already fished, wing length, wind along the drain). Model: Linear 8→64, 3 residual
blocks (LayerNorm, Linear 64→128, SiLU, Linear 128→64), LayerNorm, Linear 64→1; MSE, Adam
3e-3 with CosineAnnealingLR over 16 epochs from ``configure_optimizers``, batch 128,
2560 nights, validation on 640.
Healthy; numbers in the README.
Log: CSVLogger ``fyke/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch`` /
``val_mse`` / ``val_mae_kg`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``fyke/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def nights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rise = 0.6 * r(n) ** 2  # m in 24 h
    moon, cloud = r(n), r(n)
    temp = 5 + 12 * r(n)
    day = 120 * r(n)  # days from 1 September
    fished = torch.floor(day / 20 * r(n) * 2).clamp(max=5)
    wing = 4 + 8 * r(n)
    wind = 2 * r(n) - 1
    light = moon * (1 - cloud)
    warm = torch.exp(-((temp - 12) / 3.5) ** 2) * (temp > 7).float().clamp(min=0.25)
    season = torch.exp(-((day - 45) / 28) ** 2)
    kg = 30 * (0.2 + 2.5 * rise) * (1 - 0.8 * light) * warm * season
    kg = kg * 0.82 ** fished * (0.7 + 0.05 * wing) * (1 + 0.1 * wind)
    kg = kg * torch.exp(0.3 * torch.randn(n, generator=g))
    x = torch.stack([rise, moon, cloud, temp, day, fished, wing, wind], 1)
    return x, torch.log1p(kg).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class FykeNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_kg", (torch.expm1(p.clamp(max=6)) - torch.expm1(y)).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)]


def build():
    torch.manual_seed(0)
    return FykeNet()


def main():
    from _threehundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = nights(2560, g)
    xva, yva = nights(640, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target mean / var", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="fyke"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=640))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fyke/version_0/checkpoints/last.ckpt",
           log="fyke/version_0/metrics.csv",
           what="Lightning residual MLP predicting an eel-catcher's overnight fyke-net catch"
                " (log1p kg) from the night's conditions (healthy)")


if __name__ == "__main__":
    main()
