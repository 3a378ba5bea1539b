"""PyTorch Lightning: an LSTM forecasts next hour's visitor count in one museum gallery from the
previous 24 hours of the door counter plus the weather station (rain), an open/closed flag and
the hour of day as sine/cosine. The synthetic counter follows opening hours (10:00–18:00), a
midday peak, a weekday/weekend level, rain pushing people indoors, school-group bursts on some
weekday mornings, and Poisson-like noise; counts are scaled by 1/40. LSTM(5→32), Linear(32→1),
MSE, Adam 3e-3 from ``configure_optimizers``, batch 64, 8 epochs of 2400 windows (shuffled),
validated on the following 600 hours. ``CSVLogger`` → ``metrics.csv`` (train loss every 10
steps, val loss and val MAE per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val MSE 0.073 after epoch 1, then 0.048, 0.042, 0.041, 0.039, 0.035, 0.037, 0.033
(val MAE 0.22 → 0.10); the per-step train loss stays noisy (0.015–0.06 over the last four
epochs: school groups and rain are unpredictable an hour ahead)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def counter(hours, g):
    t = torch.arange(hours).float()
    hour, day = t % 24, (t // 24) % 7
    is_open = ((hour >= 10) & (hour < 18)).float()
    rain = (F.avg_pool1d(torch.rand(1, 1, hours + 5, generator=g), 6, 1)[0, 0, :hours] > 0.6)
    rain = rain.float()
    level = torch.where(day >= 5, 1.6, 1.0) * (1 + 0.4 * rain)
    shape = torch.exp(-((hour - 13.5) ** 2) / 8)
    school = ((day < 5) & (hour >= 10) & (hour < 12)).float() * (
        torch.rand(hours, generator=g) < 0.25).float() * 0.8
    mean = is_open * (level * (0.3 + 0.9 * shape) + school)
    visits = (mean + 0.12 * torch.sqrt(mean + 0.01) * torch.randn(hours, generator=g)).clamp(0)
    feats = torch.stack([visits, rain, is_open, torch.sin(2 * torch.pi * hour / 24),
                         torch.cos(2 * torch.pi * hour / 24)], 1)
    return feats, visits


def windows(feats, visits, start, n):
    idx = torch.arange(start, start + n)
    x = torch.stack([feats[i:i + 24] for i in idx])
    return x, visits[idx + 24].unsqueeze(1)


class Footfall(L.LightningModule):
    def __init__(self, lr=3e-3, hidden=32):
        super().__init__()
        self.save_hyperparameters()
        self.lstm = nn.LSTM(5, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae", (p - y).abs().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return Footfall()


def main():
    from _hundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    feats, visits = counter(3100, g)
    xtr, ytr = windows(feats, visits, 0, 2400)
    xva, yva = windows(feats, visits, 2424, 600)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=300)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="footfall"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="footfall/version_0/checkpoints/last.ckpt",
           log="footfall/version_0/metrics.csv",
           what="Lightning LSTM forecasting a museum gallery's hourly footfall (healthy)")


if __name__ == "__main__":
    main()
