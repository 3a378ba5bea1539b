"""PyTorch Lightning: a 1-D CNN with BatchNorm tells which shore zone a tide pool sits in (high,
mid or low intertidal) from a 48-sample (every 30 min, one day) logger trace of 2 channels:
water temperature and dissolved oxygen. High pools are cut off from the sea longest at low
tide, so they heat up and swing in oxygen (photosynthesis by day, respiration by night) for
hours; low pools are flushed on most tides and follow the sea. The tide times shift from day
to day, so the emersion window sits at a random place in the trace. Conv1d(2, 16, 5)-BN-ReLU,
Conv1d(16, 32, 5)-BN-ReLU, MaxPool, Conv1d(32, 32, 3)-BN-ReLU, global average pool,
Linear(32, 3); CrossEntropyLoss with label smoothing 0.05, RMSprop 1e-3 with
ReduceLROnPlateau on val loss from ``configure_optimizers``, batch 32, 15 epochs of 960
traces, validation on 240 each epoch (val loss, val accuracy).
Healthy; numbers in the README (val noisier than train, BatchNorm with small batches)."""
import math

import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def traces(n, g):
    zone = torch.randint(0, 3, (n,), generator=g)
    t = torch.arange(48).float()
    hours = torch.tensor([7.0, 4.0, 1.5])[zone] * (0.8 + 0.4 * torch.rand(n, generator=g))
    start = 48 * torch.rand(n, 1, generator=g)
    d = (t - start) % 48
    out = (d < 2 * hours[:, None]).float()
    sun = torch.clamp(torch.sin(2 * math.pi * (t - 12) / 48), min=0)
    sea = 13 + 0.5 * torch.randn(n, 1, generator=g)
    temp = sea + out * (0.3 * d.clamp(max=14) * (0.3 + sun)) + 0.3 * torch.randn(n, 48, generator=g)
    oxy = 8 + out * (3 * sun - 1.5 * (1 - sun)) * d.clamp(max=10) / 10
    oxy = oxy + 0.3 * torch.randn(n, 48, generator=g)
    x = torch.stack([(temp - 14) / 2, (oxy - 8) / 2], 1)
    return x, zone


class ZoneCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 3))
        self.ce = nn.CrossEntropyLoss(label_smoothing=0.05)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = self.ce(self(x), y)
        self.log("train_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_ce", self.ce(logits, y))
        self.log("val_accuracy", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=1e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_ce"}}


def build():
    torch.manual_seed(0)
    return ZoneCNN()


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(960, g)
    xva, yva = traces(240, g)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="zones"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="zones/version_0/checkpoints/last.ckpt",
           log="zones/version_0/metrics.csv",
           what="Lightning 1-D CNN with BatchNorm naming a tide pool's shore zone from a"
                " temperature/oxygen logger day (healthy)")


if __name__ == "__main__":
    main()
