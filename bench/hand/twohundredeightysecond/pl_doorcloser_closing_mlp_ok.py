"""PyTorch Lightning: an MLP predicts how a door closer will behave once it is set, so the fitter
can pick the valve settings before climbing the ladder: the closing time from 90 to 10
degrees (s) and the latch time from 10 degrees to shut (s). Inputs: closer size (EN 1-6, the
spring), main closing speed valve (0.25-3 turns open), latch speed valve (0.25-2.5 turns),
door mass (25-130 kg), door width (0.75-1.25 m) and the air temperature at the door (-10 to
35 C; the oil thins as it warms). Physics: the hydraulic damper dominates, so each time is
roughly oil viscosity / (valve opening) scaled by the door's inertia over the spring's
moment: visc = exp(-0.025 (T - 20)), inertia = mass * width^2 / 3, the latch stage carries
what is left of the swing and the seal's push; 4 % stopwatch scatter.
Inputs standardised inside the module, targets divided by 10 (closing) and 3 (latch).
Linear 6→96-SiLU-96→96-SiLU-96→2, Huber loss (delta 0.1), AdamW 3e-3 (weight decay 1e-3)
with OneCycleLR over 25 epochs (stepped per batch from ``configure_optimizers``), batch 128,
4000 fitted doors, validation on 800.
Log: ``fitting/version_0/metrics.csv`` (CSVLogger; ``train_huber`` per epoch, ``val_huber``,
``val_mae_closing_s``, ``val_mae_latch_s`` per epoch, ``lr-AdamW`` per step from a
LearningRateMonitor); checkpoint ``fitting/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SCALE = torch.tensor([10.0, 3.0])
EPOCHS, BATCH = 25, 128


def fitted_doors(n, g):
    u = torch.rand(n, 6, generator=g)
    size = 1 + (6 * u[:, 0]).floor().clamp(max=5)
    main_v, latch_v = 0.25 + 2.75 * u[:, 1], 0.25 + 2.25 * u[:, 2]
    mass, width, temp = 25 + 105 * u[:, 3], 0.75 + 0.5 * u[:, 4], -10 + 45 * u[:, 5]
    visc = torch.exp(-0.025 * (temp - 20))
    inertia = mass * width ** 2 / 3
    spring = 8 + 9 * size
    closing = 2.2 * visc / main_v ** 0.8 * (inertia / spring) ** 0.5 + 0.8
    latch = 0.7 * visc / latch_v ** 0.9 * (inertia / spring) ** 0.3 + 0.015 * mass / size
    y = torch.stack([closing, latch], 1) * (1 + 0.04 * torch.randn(n, 2, generator=g))
    return torch.stack([size, main_v, latch_v, mass, width, temp], 1), y


class CloserMLP(L.LightningModule):
    def __init__(self, mean, std, steps_per_epoch=32):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.steps_per_epoch = steps_per_epoch
        self.net = nn.Sequential(nn.Linear(6, 96), nn.SiLU(), nn.Linear(96, 96), nn.SiLU(),
                                 nn.Linear(96, 2))

    def forward(self, x):
        return self.net((x - self.mean) / self.std) * SCALE.to(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x) / SCALE, y / SCALE, delta=0.1)
        self.log("train_huber", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p / SCALE, y / SCALE, delta=0.1))
        self.log("val_mae_closing_s", (p[:, 0] - y[:, 0]).abs().mean())
        self.log("val_mae_latch_s", (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=EPOCHS,
                                                    steps_per_epoch=self.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


MEAN = torch.tensor([3.5, 1.6, 1.4, 77.5, 1.0, 12.5])
STD = torch.tensor([1.7, 0.8, 0.65, 30.0, 0.145, 13.0])


def build():
    torch.manual_seed(0)
    return CloserMLP(MEAN, STD)


def main():
    from _twohundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fitted_doors(4000, g)
    xva, yva = fitted_doors(800, g)
    print("closing / latch s ranges", ytr.min(0).values, ytr.max(0).values)
    L.seed_everything(0, verbose=False)
    model = build()
    model.steps_per_epoch = -(-len(xtr) // BATCH)
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="fitting"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=800))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fitting/version_0/checkpoints/last.ckpt",
           log="fitting/version_0/metrics.csv",
           what="Lightning MLP predicting a door closer's closing and latch times from its"
                " size, valve settings, the door and the temperature (healthy)")


if __name__ == "__main__":
    main()
