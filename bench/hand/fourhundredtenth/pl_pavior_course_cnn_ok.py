"""PyTorch Lightning: a 1-D CNN with batch norm reads a rolling-straightedge profile of a
freshly laid block-paving course, so the pavior knows which run to lift and re-bed before
the plate compactor goes over it: well bedded, lipping (one block proud of its neighbours),
a low block (sunk in the bedding sand), ponding (a broad dish that will hold water). The
profile is 64 height readings (mm) over 1 m, 200 mm blocks so a joint every 12.8 readings,
each joint a small sand-filled dip; a fall of 1:40-1:80 for drainage, a random course offset,
the wheel's reading noise (0.3 mm). Lipping: one block 2-5 mm proud; low block: one block
3-6 mm down; ponding: a parabolic sag 4-9 mm deep over 0.5-0.9 m. BS 7533 calls a step over
2 mm between blocks a defect, so the classes overlap little.
Input: (1, 64) heights in mm minus the profile mean, / 3. Model: Conv1d 1→16 (k5) + BN + ReLU
+ MaxPool2, Conv1d 16→32 (k3) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global
max pool, Linear 32→4; cross-entropy, AdamW 2e-3 (weight decay 1e-2) with CosineAnnealingLR
over 8 epochs from ``configure_optimizers``, batch 48, 1440 profiles, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``courses/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch``
/ ``val_xent`` / ``val_acc`` / ``val_recall_low`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``courses/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 64
CLASSES = ["bedded", "lipping", "low_block", "ponding"]


def profiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    x = torch.arange(N).float() / N  # metres along the straightedge
    fall = (1 / 80 + (1 / 40 - 1 / 80) * r(n, 1)) * 1000 * torch.where(r(n, 1) < 0.5, -1.0, 1.0)
    h = fall * x + 2 * (r(n, 1) - 0.5)
    shift = 0.2 * r(n, 1)  # where the first joint falls
    pos = (x + shift) / 0.2
    block = pos.floor()
    frac = pos - block
    h = h - 0.8 * ((frac < 0.05) | (frac > 0.95)).float()  # sand-filled joints
    which = torch.randint(1, 4, (n, 1), generator=g).float() + block[:, :1]
    one = (block == which).float()
    lip = (cls == 1).float().unsqueeze(1) * (2 + 3 * r(n, 1)) * one
    low = (cls == 2).float().unsqueeze(1) * (3 + 3 * r(n, 1)) * one
    width = 0.5 + 0.4 * r(n, 1)
    centre = 0.3 + 0.4 * r(n, 1)
    sag = (1 - ((x - centre) / (width / 2)) ** 2).clamp(min=0)
    pond = (cls == 3).float().unsqueeze(1) * (4 + 5 * r(n, 1)) * sag
    h = h + lip - low - pond + 0.3 * torch.randn(n, N, generator=g)
    h = h - h.mean(1, keepdim=True)
    return (h / 3).unsqueeze(1), cls


class CourseCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x))

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
        self.log("val_recall_low", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-2)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return CourseCNN()


def main():
    from _fourhundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = profiles(1440, g)
    xva, yva = profiles(360, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="courses"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="courses/version_0/checkpoints/last.ckpt",
           log="courses/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming bedded / lipping / low block / ponding"
                " from a pavior's straightedge profile of a laid course (healthy)")


if __name__ == "__main__":
    main()
