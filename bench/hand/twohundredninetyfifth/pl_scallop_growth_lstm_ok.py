"""PyTorch Lightning: an LSTM tells a bay scallop grower how many millimetres of shell a lantern
net of juveniles will put on over the next 30 days, from the last 60 daily readings of the
mooring's logger (water temperature, chlorophyll-a, salinity). Growth model: the daily shell
increment follows a thermal performance curve that peaks near 20 °C and collapses above 27 °C,
times food (chlorophyll, saturating, Michaelis-Menten with half-saturation 2 µg/l), times a
salinity penalty below 24 psu; the next 30 days continue this season's weather (same mean
level and trend as the last two weeks), and smaller scallops grow faster (von Bertalanffy).
Target: mm gained in 30 days, with 0.4 mm of measuring scatter on the callipers.
Input: (60, 4) (temperature - 18) / 4, chlorophyll / 3, (salinity - 28) / 3, shell height / 40.
LSTM 4→40, 1 layer, last state → linear 40→24-GELU-24→1; Huber loss (delta 1), Adam 3e-3 with
CosineAnnealingLR over 12 epochs from ``configure_optimizers``, batch 32, 12 epochs, 1200 nets,
validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``lantern/version_0/metrics.csv`` (``train_huber`` per epoch, ``val_huber``,
``val_mae_mm``); checkpoint ``ModelCheckpoint(save_last=True)`` →
``lantern/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

D = 60


def thermal(t):
    return torch.exp(-((t - 20) / 5) ** 2) * (t < 27).float() + 0.1 * (t >= 27).float()


def nets(n, g):
    day = torch.arange(D + 30).float()
    base = 12 + 12 * torch.rand(n, 1, generator=g)
    trend = (torch.rand(n, 1, generator=g) - 0.5) * 0.12
    temp = base + trend * day + 1.2 * torch.randn(n, D + 30, generator=g).cumsum(1) / 6
    bloom = 0.5 + 5 * torch.rand(n, 1, generator=g)
    chl = (bloom * (1 + 0.4 * torch.sin(2 * torch.pi * day / (14 + 10 * torch.rand(
        n, 1, generator=g))))).clamp(min=0.1)
    sal = 22 + 10 * torch.rand(n, 1, generator=g) + 0.5 * torch.randn(n, D + 30, generator=g)
    h = 10 + 30 * torch.rand(n, generator=g)
    heights = []
    for i in range(D + 30):
        rate = 0.35 * thermal(temp[:, i]) * chl[:, i] / (chl[:, i] + 2) * (
            1 - 0.06 * (24 - sal[:, i]).clamp(min=0)) * (1 - h / 75)
        h = h + rate.clamp(min=0)
        heights.append(h)
    heights = torch.stack(heights, 1)
    gain = heights[:, -1] - heights[:, D - 1] + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([(temp[:, :D] - 18) / 4, chl[:, :D] / 3, (sal[:, :D] - 28) / 3,
                     heights[:, :D] / 40], 2)
    return x, gain.unsqueeze(1)


class GrowthLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 40, batch_first=True)
        self.head = nn.Sequential(nn.Linear(40, 24), nn.GELU(), nn.Linear(24, 1))

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y)
        self.log("train_huber", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y))
        self.log("val_mae_mm", (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return GrowthLSTM()


def main():
    from _twohundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = nets(1200, g)
    xva, yva = nets(300, g)
    print("gain mm", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="lantern"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="lantern/version_0/checkpoints/last.ckpt",
           log="lantern/version_0/metrics.csv",
           what="Lightning LSTM forecasting a scallop lantern net's shell growth over the next"
                " 30 days (healthy)")


if __name__ == "__main__":
    main()
