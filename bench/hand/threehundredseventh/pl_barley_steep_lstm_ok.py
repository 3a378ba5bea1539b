"""PyTorch Lightning: an LSTM reads the first 16 hours of a barley steep in a malting
house's steep tank (water temperature and the grain bed's CO2 every 30 min, 32 readings)
and predicts the steep-out moisture of the grain (% water), so the maltster can decide on
the next air rest before the batch goes to germination. Water uptake follows a
first-order approach to saturation (about 46 %) whose rate doubles every 10 °C; the
grain's respiration (CO2) rises as the embryo wakes and tracks the uptake; the barley's
starting moisture (11-14 %) and kernel size are not measured. Target: (moisture - 42) / 3.
Input: (32, 2) (water °C - 14) / 3 and (CO2 % - 1) / 0.6.
LSTM 2→24, 1 layer, last state → linear 24→1; MSE, Adam 4e-3 with CosineAnnealingLR over
12 epochs from ``configure_optimizers``, batch 48, 1200 steeps, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``steeptank/version_0/metrics.csv`` (``mse_step`` every 4 steps,
``mse_epoch`` / ``val_mse`` / ``val_mae_pct`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``steeptank/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 32
DT = 0.5  # hours between readings


def steeps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(1, STEPS + 1).float() * DT
    water0 = 10 + 8 * r(n, 1)
    drift = -1 + 2 * r(n, 1)  # °C over the window (tank warming or cooling)
    temp = water0 + drift * t / t[-1]
    m0 = 11 + 3 * r(n, 1)  # unmeasured starting moisture
    size = 0.8 + 0.4 * r(n, 1)  # unmeasured kernel size (bigger: slower)
    rate = 0.09 * 2 ** ((temp - 14) / 10) / size
    k = torch.cumsum(rate * DT, 1)
    moist = 46 - (46 - m0) * torch.exp(-k)
    co2 = 0.3 + 0.05 * (moist - 25).clamp(min=0) * (temp / 14)
    y = moist[:, -1:] + 0.3 * torch.randn(n, 1, generator=g)
    temp = temp + 0.2 * torch.randn(n, STEPS, generator=g)
    co2 = co2 + 0.05 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([(temp - 14) / 3, (co2 - 1) / 0.6], 2)
    return x, (y - 42) / 3


class SteepLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 24, batch_first=True)
        self.head = nn.Linear(24, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_pct", 3 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=4e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return SteepLSTM()


def main():
    from _threehundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = steeps(1200, g)
    xva, yva = steeps(300, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="steeptank"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="steeptank/version_0/checkpoints/last.ckpt",
           log="steeptank/version_0/metrics.csv",
           what="Lightning LSTM predicting barley steep-out moisture from the first 16 hours of"
                " steep-tank water temperature and CO2 (healthy)")


if __name__ == "__main__":
    main()
