"""PyTorch Lightning: a GRU forecasts tomorrow's displacement rate (mm/day, read off an in-place
inclinometer) of a slow landslide in colluvium from the last 30 days of two field channels:
daily rainfall (mm) and piezometer head above the slip surface (m). The head follows rainfall
through an antecedent-rainfall store that drains with a 6-day time constant; movement starts once
the head passes a threshold and grows with the excess, plus a small rate from the last 3 days
of rain and 10 % multiplicative noise. Channels standardised with training mean/std. GRU(2→32)
→ Linear 32→1 on the last state, MSE on the standardised rate, Adam 3e-3 with
ExponentialLR(0.9) from ``configure_optimizers``, batch 64, 14 epochs of 1024 windows,
validation on 256 windows each epoch (val MSE, val MAE in mm/day).
Log: ``movement/version_0/metrics.csv`` (CSVLogger); checkpoint
``movement/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 30


def windows(n, g):
    wet = torch.rand(n, DAYS, generator=g) < 0.35
    rain = wet * torch.distributions.Exponential(1 / 12.0).sample((n, DAYS))
    rain = rain * (0.5 + torch.rand(n, 1, generator=g))
    store = torch.zeros(n)
    heads = []
    for d in range(DAYS):
        store = store * torch.exp(torch.tensor(-1 / 6)) + rain[:, d]
        heads.append(0.04 * store)
    head = torch.stack(heads, 1) + 0.05 * torch.randn(n, DAYS, generator=g)
    excess = torch.relu(head[:, -1] - 1.2)
    rate = 4.0 * excess ** 1.3 + 0.02 * rain[:, -3:].sum(1)
    rate = rate * (1 + 0.1 * torch.randn(n, generator=g))
    return torch.stack([rain, head], 2), rate


class SlopeRate(L.LightningModule):
    def __init__(self, r_mean, r_std):
        super().__init__()
        self.r_mean, self.r_std = float(r_mean), float(r_std)
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1]).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.r_mean) / self.r_std)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.r_mean) / self.r_std))
        self.log("val_mae_mm_day", (pred * self.r_std + self.r_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)}


def data():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(256, g)
    m, s = xtr.mean((0, 1)), xtr.std((0, 1))
    return (xtr - m) / s, ytr, (xva - m) / s, yva


def build():
    _, ytr, _, _ = data()
    torch.manual_seed(0)
    return SlopeRate(ytr.mean(), ytr.std())


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, xva, yva = data()
    print("rate mean/std", ytr.mean().item(), ytr.std().item(), "share moving",
          (ytr > 0.5).float().mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="movement"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=256))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="movement/version_0/checkpoints/last.ckpt",
           log="movement/version_0/metrics.csv",
           what="Lightning GRU forecasting landslide displacement rate from rainfall and piezometer"
                " head (healthy)")


if __name__ == "__main__":
    main()
