"""PyTorch Lightning: an LSTM tells a saltworks pan manager what the brine salinity in a
concentrating pan will be after 30 days, from the day-by-day weather log and the salinity the
pan was filled at. Water balance: each day the pan loses depth by evaporation,
E = 0.9·(0.1 + 0.04·T)·(1 - RH)·(1 + 0.35·wind) mm, slowed as the brine gets saltier
(activity 1 - S/400), and gains the day's rain; the salt stays, so S = S0·d0/d, capped at
halite saturation (260 g/l, the rest drops out as crystals). Fill depth 150-250 mm, filled at
40-120 g/l, Mediterranean summer weather with fronts that bring wind and rain. The reading at
the end is a refractometer value with 2 % scatter.
Input: (30, 5) per day (T - 25) / 5, (RH - 0.6) / 0.15, wind m/s / 5, rain mm / 10,
fill salinity / 100 (constant over the window); target salinity g/l / 100.
LSTM 5→40, 1 layer, last state → linear 40→24-GELU-24→1; MSE, Adam 3e-3 with
CosineAnnealingLR over the 12 epochs from ``configure_optimizers``, batch 32, 1500 pans,
validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``pans/version_0/metrics.csv`` (``loss_train`` per epoch, ``loss_val``,
``abs_err_val_gl``); checkpoint ``ModelCheckpoint(save_last=True)`` →
``pans/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

D = 30


def pans(n, g):
    tbase = 22 + 8 * torch.rand(n, 1, generator=g)
    front = (torch.rand(n, D, generator=g) < 0.08).float()
    front = front + 0.6 * torch.roll(front, 1, 1)
    temp = tbase + 2 * torch.randn(n, D, generator=g) - 3 * front
    rh = (0.55 + 0.1 * torch.randn(n, D, generator=g) + 0.15 * front).clamp(0.25, 0.95)
    wind = (2 + 1.5 * torch.rand(n, D, generator=g) + 4 * front).clamp(min=0)
    rain = front * 12 * torch.rand(n, D, generator=g)
    d = 150 + 100 * torch.rand(n, generator=g)
    s0 = 40 + 80 * torch.rand(n, generator=g)
    salt = s0 * d
    for t in range(D):
        s = (salt / d).clamp(max=260)
        e = 0.9 * (0.1 + 0.04 * temp[:, t]) * (1 - rh[:, t]) * (1 + 0.35 * wind[:, t])
        d = (d - e * (1 - s / 400) + rain[:, t]).clamp(min=15)
        salt = torch.minimum(salt, 260 * d)
    s_end = salt / d * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.stack([(temp - 25) / 5, (rh - 0.6) / 0.15, wind / 5, rain / 10,
                     (s0 / 100).unsqueeze(1).expand(n, D)], 2)
    return x, (s_end / 100).unsqueeze(1)


class PanLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 40, batch_first=True)
        self.head = nn.Sequential(nn.Linear(40, 24), nn.GELU(), nn.Linear(24, 1))

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("loss_train", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("loss_val", F.mse_loss(p, y))
        self.log("abs_err_val_gl", 100 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return PanLSTM()


def main():
    from _twohundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pans(1500, g)
    xva, yva = pans(300, g)
    print("target g/l", 100 * ytr.mean().item(), ytr.var().item(), 100 * ytr.min().item(),
          100 * ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="pans"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pans/version_0/checkpoints/last.ckpt",
           log="pans/version_0/metrics.csv",
           what="Lightning LSTM forecasting a saltworks concentrating pan's brine salinity"
                " after 30 days of weather (healthy)")


if __name__ == "__main__":
    main()
