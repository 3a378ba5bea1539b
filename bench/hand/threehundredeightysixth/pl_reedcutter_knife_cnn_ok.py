"""PyTorch Lightning: a 1-D CNN with batch norm grades the thatching reed a reed-cutter's
harvester is taking, from 3.2 s of the knife-bar load cell (30 Hz, 96 samples), so the
bundles can be binned at the tie-up: grade 1 (stems 4 mm and up, clean), grade 2 (thin
stems under 4 mm), reject (more than 30 % sedge and rush mixed in, soft stems that smear).
Trace: a sharp spike for each reed stem cut, its height growing with the square of the stem
diameter (2.5-7 mm), stems at a density of 8-25 % of samples; sedge gives broad, low drag
bumps at a rate set by its share (0-60 %) and a drag that grows with it; a baseline drag,
mains hum and load-cell noise.
The rule behind the labels is the stem diameter and the sedge share, as the thatcher grades.
Input: (1, 96) load in kN. Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5)
+ BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global average and max pool (64),
Linear 64→3; cross-entropy, AdamW 3e-3 (weight decay 0.01) with OneCycleLR stepped every
batch, from ``configure_optimizers``, batch 48, 8 epochs, 1440 traces, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``reedbed/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_reject_recall`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``reedbed/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 96
EPOCHS = 8


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    diam = 2.5 + 4.5 * r(n, 1)
    dens = 0.08 + 0.17 * r(n, 1)
    sedge = 0.6 * r(n, 1)
    stems = (r(n, N) < dens * (1 - 0.5 * sedge)).float()
    stems = stems * (diam / 5) ** 2 * (0.85 + 0.3 * r(n, N))
    spike = torch.tensor([[[0.35, 1.0, 0.4]]])
    x = F.conv1d(stems.unsqueeze(1), spike, padding=1)[:, 0]
    tufts = (r(n, N) < 0.25 * sedge).float() * (0.3 + 0.2 * r(n, N))
    bump = torch.exp(-((torch.arange(-6, 7).float()) / 3.0) ** 2).view(1, 1, -1)
    x = x + F.conv1d(tufts.unsqueeze(1), bump, padding=6)[:, 0]
    t = torch.arange(N).float() / 30.0
    x = x + 0.15 + 0.4 * sedge + 0.05 * r(n, 1)  # drag, more where sedge clogs the knife
    x = x + 0.03 * torch.sin(2 * math.pi * 50 / 30 * t + 6 * r(n, 1))
    x = x + 0.04 * torch.randn(n, N, generator=g)
    y = torch.where(sedge[:, 0] > 0.3, 2, torch.where(diam[:, 0] >= 4.0, 0, 1))
    return x.unsqueeze(1), y


class KnifeCNN(L.LightningModule):
    def __init__(self, steps_per_epoch=30):
        super().__init__()
        self.steps_per_epoch = steps_per_epoch
        self.body = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                  nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.out = nn.Linear(64, 3)

    def forward(self, x):
        h = self.body(x)
        return self.out(torch.cat([h.mean(2), h.amax(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_reject_recall", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=EPOCHS,
                                                    steps_per_epoch=self.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return KnifeCNN()


def main():
    from _threehundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1440, g)
    xva, yva = traces(360, g)
    print("grades", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="reedbed"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="reedbed/version_0/checkpoints/last.ckpt",
           log="reedbed/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm grading thatching reed (grade 1 / grade 2 /"
                " reject) from the harvester's knife-bar load trace (healthy)")


if __name__ == "__main__":
    main()
