"""PyTorch Lightning: a GRU reads the first 5 days of a cider fermentation in a cidery's
stainless tank (must temperature and specific gravity every 4 hours, 30 readings) and
predicts how many days the batch still needs to reach dryness (SG 1.000), so the cider
maker can plan racking. Sugar is eaten on a logistic curve whose rate doubles every 8 °C
and grows with the yeast-assimilable nitrogen of the juice (not measured); the tank's
temperature drifts. Target: (days left - 9) / 5. Input: (30, 2) (°C - 15) / 3 and
(SG - 1.030) / 0.015.
GRU 2→32, 1 layer, last state → linear 32→1; Huber loss (delta 1), RMSprop 3e-3 with
ExponentialLR (gamma 0.85) from ``configure_optimizers``, batch 40, 10 epochs, 1000 tanks,
validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``tankroom/version_0/metrics.csv`` (``huber_step`` every 5 steps,
``huber_epoch`` / ``val_huber`` / ``val_mae_days`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``tankroom/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 30
DT = 4 / 24  # days between readings


def tanks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    og = 1.045 + 0.015 * r(n, 1)
    temp0 = 10 + 10 * r(n, 1)
    drift = -2 + 4 * r(n, 1)
    yan = 0.6 + 0.8 * r(n, 1)  # unmeasured nitrogen factor
    lag = 0.5 + 1.5 * r(n, 1)
    t = torch.arange(1, 200).float() * DT
    temp = temp0 + drift * (t / 5).clamp(max=1)
    rate = 0.6 * 2 ** ((temp - 15) / 8) * yan
    done = torch.sigmoid(torch.cumsum(rate * DT, 1) - 3 - lag)
    sg = og - (og - 0.998) * done
    dry = (sg > 1.000).sum(1, keepdim=True).float() * DT
    y = dry - STEPS * DT
    x_t = temp[:, :STEPS] + 0.2 * torch.randn(n, STEPS, generator=g)
    x_sg = sg[:, :STEPS] + 0.0005 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([(x_t - 15) / 3, (x_sg - 1.030) / 0.015], 2)
    return x, (y - 9) / 5


class FermentGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

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
        self.log("val_mae_days", 5 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return FermentGRU()


def main():
    from _threehundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tanks(1000, g)
    xva, yva = tanks(250, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="tankroom"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tankroom/version_0/checkpoints/last.ckpt",
           log="tankroom/version_0/metrics.csv",
           what="Lightning GRU predicting the days a cider fermentation still needs to reach"
                " dryness from its first 5 days of temperature and gravity (healthy)")


if __name__ == "__main__":
    main()
