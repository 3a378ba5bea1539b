"""PyTorch Lightning: a GRU reads the first 21 days of a broiler flock's house records (daily
feed intake g/bird, water intake ml/bird, house temperature °C, each day) and predicts the
flock's mean live weight at day 35 (kg), so the integrator can book the processing slot.
Growth follows a Gompertz curve whose rate rises with feed intake and falls when the house
runs hotter than the bird's comfort band for its age (heat stress); water tracks feed at
about 1.8 : 1 and rises with heat; strain and chick quality are not recorded.
Target: (weight kg - 2.2) / 0.3. Input: (21, 3) feed / 100, water / 180, (temp - 26) / 4.
GRU 3→32, 1 layer, last state → linear 32→16→ReLU→1; Huber loss (delta 1), RMSprop 3e-3
with ExponentialLR (gamma 0.85) from ``configure_optimizers``, batch 40, 10 epochs, 1000
flocks, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``broilerhouse/version_0/metrics.csv`` (``huber_step`` every 5 steps,
``huber_epoch`` / ``val_huber`` / ``val_mae_g`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``broilerhouse/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 21


def flocks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.arange(1, DAYS + 1).float()
    comfort = 33 - 0.35 * d  # brooding temperature falls with age
    temp = comfort + (-1 + 4 * r(n, 1)) + 1.0 * torch.randn(n, DAYS, generator=g)
    appetite = 0.85 + 0.3 * r(n, 1)
    heat = (temp - comfort - 1.5).clamp(min=0)
    feed = appetite * (12 + 5.2 * d) * (1 - 0.06 * heat)
    water = 1.8 * feed * (1 + 0.04 * heat) + 4 * torch.randn(n, DAYS, generator=g)
    chick = 0.97 + 0.06 * r(n, 1)  # unrecorded chick quality
    intake = feed.mean(1, keepdim=True) / 60
    stress = heat.mean(1, keepdim=True)
    w35 = chick * 3.1 * torch.exp(-torch.exp(-(0.085 * intake - 0.01 * stress) * (35 - 12)))
    y = w35 + 0.03 * torch.randn(n, 1, generator=g)
    x = torch.stack([feed / 100, water / 180, (temp - 26) / 4], 2)
    return x, (y - 2.2) / 0.3


class BroilerGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

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
        self.log("val_mae_g", 300 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return BroilerGRU()


def main():
    from _threehundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = flocks(1000, g)
    xva, yva = flocks(250, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="broilerhouse"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="broilerhouse/version_0/checkpoints/last.ckpt",
           log="broilerhouse/version_0/metrics.csv",
           what="Lightning GRU predicting broiler day-35 live weight from 21 days of feed,"
                " water and house temperature (healthy)")


if __name__ == "__main__":
    main()
