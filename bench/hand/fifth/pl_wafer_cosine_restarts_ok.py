"""Lightning: semiconductor wafer sensor traces (152 steps, 2 channels; normal vs 3 fault
shapes), a 1-D CNN with BatchNorm, SGD + momentum under ``CosineAnnealingWarmRestarts``
(T_0=2, T_mult=2). At each restart (epochs 2 and 6) the lr jumps back up and the val loss
bumps up (0.14 -> 0.33 at epoch 6) before falling again: expected with warm restarts
(healthy; val acc 0.97).
CSVLogger + ModelCheckpoint on val_loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 152


def wafers(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    base = torch.stack([torch.tanh(10 * (t - 0.2)) - torch.tanh(10 * (t - 0.8)),
                        0.5 * torch.sin(6 * t)], 0)
    x = base.expand(n, 2, T).clone()
    where = 0.3 + 0.4 * torch.rand(n, generator=g)
    bump = torch.exp(-((t[None] - where[:, None]) / 0.02) ** 2)
    x[y == 1, 0] += 0.6 * bump[y == 1]  # spike
    x[y == 2, 1] += 0.25 * (t[None] > where[y == 2, None]).float()  # level shift
    x[y == 3, 0] *= 1 + 0.15 * torch.sin(40 * t)  # oscillation
    return x + 0.25 * torch.randn(n, 2, T, generator=g), y


class WaferCNN(L.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(
            nn.Conv1d(2, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(64, 64, 3, padding=1), nn.BatchNorm1d(64), nn.ReLU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        return self.head(self.body(x).amax(-1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9,
                              weight_decay=5e-4)
        sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return WaferCNN()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = wafers(1500, g), wafers(400, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="wafer"),
                        log_every_n_steps=8,
                        callbacks=[ModelCheckpoint(monitor="val_loss", save_last=True),
                                   LearningRateMonitor("epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=[],
           checkpoint="wafer/version_0/checkpoints/last.ckpt",
           log="wafer/version_0/metrics.csv",
           what="1-D BN CNN with cosine warm restarts: loss bumps at restarts, healthy")


if __name__ == "__main__":
    main()
