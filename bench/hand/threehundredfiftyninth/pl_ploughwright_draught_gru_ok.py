"""PyTorch Lightning: a GRU gives a ploughwright the draught on a three-furrow mouldboard
plough along a test furrow, step by step, so a new plough body can be judged across a
field whose soil changes: 48 segments of 4 m, each with the working depth (cm), the
tractor's speed (km/h) and a cone penetrometer reading ahead of the plough (MPa, soil
strength, mixed with moisture). The rule is the ASABE mouldboard draught relation,
D = F · (652 + 5.1 S²) · W · T (N; F the soil texture factor 0.45-1.0, here set by the
cone index, W 1.2 m, T depth cm), read through the hitch load cell, which lags (each
segment's reading is 0.6 of the last plus 0.4 of the new draught) and is noisy (±0.4 kN).
Per-step regression of the load-cell kN / 20. Model: GRU 3→32, Linear 32→1 per step; MSE,
Adam with OneCycleLR (peak 1e-2) from ``configure_optimizers`` (stepped every batch), batch 32,
16 epochs, 960 furrows, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``furrowlab/version_0/metrics.csv`` (``mse_step`` every 5 steps,
``mse_epoch`` / ``val_mse`` / ``val_mae_kn`` per epoch, ``lr-Adam`` from a
LearningRateMonitor); checkpoint ``ModelCheckpoint(save_last=True)`` →
``furrowlab/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 48


def furrows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    walk = lambda s: torch.cumsum(s * torch.randn(n, T, generator=g), 1)  # noqa: E731
    ci = (0.8 + 1.6 * r(n, 1) + walk(0.08)).clamp(0.4, 3.2)  # MPa
    depth = (16 + 8 * r(n, 1) + walk(0.3)).clamp(12, 28)
    speed = (5 + 4 * r(n, 1) + walk(0.15)).clamp(3.5, 10)
    fi = 0.45 + 0.55 * torch.sigmoid((ci - 1.6) / 0.35)
    draught = fi * (652 + 5.1 * speed ** 2) * 1.2 * depth / 1000  # kN
    cell = torch.zeros(n, T)
    prev = draught[:, 0]
    for t in range(T):
        prev = 0.6 * prev + 0.4 * draught[:, t]
        cell[:, t] = prev
    cell = cell + 0.4 * torch.randn(n, T, generator=g)
    x = torch.stack([depth / 20, speed / 7, ci / 1.5], 2)
    return x, (cell / 20).unsqueeze(2)


class DraughtGRU(L.LightningModule):
    def __init__(self, steps_per_epoch=30, epochs=16):
        super().__init__()
        self.save_hyperparameters()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_kn", (20 * (p - y)).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=1e-2, epochs=self.hparams.epochs,
            steps_per_epoch=self.hparams.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return DraughtGRU()


def main():
    from _threehundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = furrows(960, g)
    xva, yva = furrows(240, g)
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="furrowlab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="furrowlab/version_0/checkpoints/last.ckpt",
           log="furrowlab/version_0/metrics.csv",
           what="Lightning GRU giving a plough's load-cell draught step by step along a test"
                " furrow from depth, speed and cone index (healthy)")


if __name__ == "__main__":
    main()
