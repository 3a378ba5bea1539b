"""PyTorch Lightning: an LSTM predicts how many days a salt pan still needs before the salt
worker can rake it, from 30 days of pan readings (brine density, air temperature, wind, sun
hours, rain): density climbs by evaporation that grows with sun, wind and warmth, and rain
knocks it back; the target is the days left until density reaches the raking threshold at the
recent evaporation rate (standardised). LSTM(5→32), Linear(32→1), MSE; Adam 3e-3, batch 32,
12 epochs of 768 pans, shuffled. ``CSVLogger`` → ``metrics.csv`` (train loss every 6 steps,
val loss and val MAE per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val MSE 0.164, 0.031, 0.0076, 0.0059, 0.0059, 0.0046, ... 0.0038 over the 12 epochs
(val MAE 4.7 → 0.65 days); the per-step train loss is noisy (0.0024–0.0040 at the end) and
val loss has small bumps (epoch 8) but it is fine."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

D = 30


def pans(n, g):
    temp = 22 + 6 * torch.rand(n, 1, generator=g) + 2 * torch.randn(n, D, generator=g)
    wind = torch.rand(n, 1, generator=g) * 3 + torch.rand(n, D, generator=g)
    sun = (8 + 4 * torch.rand(n, 1, generator=g) - 2 * torch.rand(n, D, generator=g)).clamp(0)
    rain = (torch.rand(n, D, generator=g) < 0.08).float() * torch.rand(n, D, generator=g) * 20
    rate = 0.02 * sun + 0.03 * wind + 0.01 * (temp - 20)
    dens = torch.zeros(n, D)
    d = 1.03 + 0.1 * torch.rand(n, generator=g)
    for t in range(D):
        d = (d + 0.01 * rate[:, t] - 0.002 * rain[:, t]).clamp(1.02, 1.25)
        dens[:, t] = d
    recent = rate[:, -7:].mean(1) * 0.01
    days = ((1.2 - dens[:, -1]).clamp(0) / recent.clamp(min=1e-3)).clamp(0, 60)
    x = torch.stack([(dens - 1.12) / 0.05, (temp - 25) / 3, (wind - 2) / 1.0, (sun - 9) / 2,
                     rain / 5], 2)
    return x, ((days - 25) / 15).unsqueeze(1)


class DaysLeft(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.lstm = nn.LSTM(5, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_days", (p - y).abs().mean() * 15)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return DaysLeft()


def main():
    from _twohundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = pans(1024, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:768], y[:768]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[768:], y[768:]), batch_size=256)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="saltpan"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[768:832], y[768:832]), causes=[],
           checkpoint="saltpan/version_0/checkpoints/last.ckpt",
           log="saltpan/version_0/metrics.csv",
           what="Lightning LSTM regressing salt-pan days-to-raking from 30 days of readings"
                " (healthy)")


if __name__ == "__main__":
    main()
