"""PyTorch Lightning: an LSTM predicts the moisture (%) of the sheet at the reel from the last 40
readings (one every 15 s, 10 minutes) of the dryer section: main steam header pressure (bar,
a slow random walk between 2.5 and 6), machine speed (m/min, 700-1100, with grade-change ramps)
and headbox consistency (%, 0.55-0.95). The truth: the sheet leaves the press at a water load
set by consistency and speed; the cylinders remove water at a rate that follows the steam
pressure with a lag of about 2 minutes (an exponentially weighted average of the steam readings,
time constant 8 readings) and falls with speed (less time on the cans): moisture = 7.5 + 0.012
(speed - 900) - 1.6 (steam_lagged - 4) + 3.0 (consistency - 0.75) + 0.35 sin(steam slope), 0.15 %
scanner noise.
Readings are scaled in the data (bar - 4, speed / 1000 - 0.9, consistency - 0.75, x 4 for
consistency). LSTM(3, 32, batch_first), last hidden state, linear 32→1, MSE, Adam 3e-3 with
StepLR(step 5, gamma 0.5) from ``configure_optimizers``, batch 50, 14 epochs of 2500 windows,
validation on 600 (val MSE, val MAE in % moisture).
Log: ``dryers/version_0/metrics.csv`` (CSVLogger); checkpoint
``dryers/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 40


def windows(n, g):
    steam = 4 + torch.cumsum(0.12 * torch.randn(n, STEPS, generator=g), 1) + torch.randn(n, 1, generator=g)
    steam = steam.clamp(2.5, 6)
    ramp = (torch.arange(STEPS).float() - torch.randint(0, STEPS, (n, 1), generator=g)).clamp(min=0)
    speed = 700 + 400 * torch.rand(n, 1, generator=g) + ramp * 4 * torch.randn(n, 1, generator=g)
    speed = speed.clamp(650, 1150)
    cons = 0.55 + 0.4 * torch.rand(n, 1, generator=g) + 0.01 * torch.randn(n, STEPS, generator=g)
    w = torch.exp(-(STEPS - 1 - torch.arange(STEPS).float()) / 8)
    lagged = (steam * w).sum(1) / w.sum()
    slope = steam[:, -1] - steam[:, -9]
    m = (7.5 + 0.012 * (speed[:, -1] - 900) - 1.6 * (lagged - 4) + 3.0 * (cons[:, -4:].mean(1) - 0.75)
         + 0.35 * torch.sin(slope))
    m = m + 0.15 * torch.randn(n, generator=g)
    x = torch.stack([steam - 4, speed / 1000 - 0.9, 4 * (cons - 0.75)], 2)
    return x, m


class DryerLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1]).squeeze(-1) + 7.5

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_pct", (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, 5, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return DryerLSTM()


def main():
    from _twohundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(2500, g)
    xva, yva = windows(600, g)
    print("moisture sd", ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="dryers"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="dryers/version_0/checkpoints/last.ckpt",
           log="dryers/version_0/metrics.csv",
           what="Lightning LSTM predicting reel moisture from dryer-section readings (healthy)")


if __name__ == "__main__":
    main()
