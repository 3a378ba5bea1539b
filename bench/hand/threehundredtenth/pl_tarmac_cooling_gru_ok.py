"""PyTorch Lightning: a GRU reads the first 5 minutes of a thermal-camera strip behind the
paver on a tarmac job (mat surface temperature every 15 s, 20 readings, with the wind
from the site anemometer) and predicts how many minutes of rolling time remain before the
mat falls below the 80 °C cessation temperature, so the roller driver knows how many
passes still compact. Cooling is Newtonian towards the air temperature, with a rate that
grows with wind and falls with lift thickness (neither the air temperature nor the lift is
given: the net reads them off the curve's shape); the surface reading has the camera's
noise and a small skin-cooling dip right after the screed.
Input: (20, 2) (surface °C - 120) / 20 and (wind m/s - 4) / 2. Target: minutes left / 10.
GRU 2→32, 1 layer, last state → linear 32→16 → ReLU → linear 16→1; Huber loss (delta 0.5),
RMSprop 4e-3 with StepLR (step 5, gamma 0.5) from ``configure_optimizers``, batch 40,
12 epochs, 1400 strips, validation on 350.
Healthy; numbers in the README.
Log: CSVLogger ``paver/version_0/metrics.csv`` (``huber_step`` every 5 steps,
``huber_epoch`` / ``val_huber`` / ``val_mae_min`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``paver/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N_READ = 20
DT = 0.25  # minutes between readings


def strips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N_READ).float() * DT
    t0 = 135 + 25 * r(n, 1)
    air = 5 + 25 * r(n, 1)
    wind = 7 * r(n, 1)
    lift = 30 + 50 * r(n, 1)
    k = 0.02 * (1 + 0.2 * wind) * 50 / lift  # 1/min
    temp = air + (t0 - air) * torch.exp(-k * t) - 4 * torch.exp(-t / 0.4)
    t_end = N_READ * DT
    now = air + (t0 - air) * torch.exp(-k * torch.tensor(t_end))
    left = torch.log(((now - air) / (80 - air)).clamp(min=1.0)) / k
    temp = temp + 0.6 * torch.randn(n, N_READ, generator=g)
    wind_read = (wind + 0.5 * torch.randn(n, N_READ, generator=g)).clamp(min=0)
    x = torch.stack([(temp - 120) / 20, (wind_read - 4) / 2], 2)
    return x, left / 10


class CoolingGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y, delta=0.5)
        self.log("huber", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y, delta=0.5))
        self.log("val_mae_min", 10 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=4e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return CoolingGRU()


def main():
    from _threehundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strips(1400, g)
    xva, yva = strips(350, g)
    print("target", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="paver"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=350))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="paver/version_0/checkpoints/last.ckpt",
           log="paver/version_0/metrics.csv",
           what="Lightning GRU predicting the rolling minutes left on a tarmac mat from a"
                " thermal-camera strip behind the paver (healthy)")


if __name__ == "__main__":
    main()
