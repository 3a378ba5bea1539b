"""PyTorch Lightning: a 1-D CNN with batch norm names the ground a welldigger's powered auger
is cutting from a 3.2 s window of its rig log (20 Hz, 64 samples, 2 channels: drive torque in
kN·m and mast vibration in g), so the crew knows when to change to the rock bit or start
lining a running sand: clay, sand, gravel, rock. Ground: clay has a high, smooth torque that
creeps up as the flights load (1.4-2.0 kN·m) and little vibration; sand a low torque
(0.5-0.9) with fine chatter; gravel a middling torque with random kicks as stones jam the
flights and bursts of vibration; rock a middling torque and a steady vibration at the bit's
tooth rate (3 teeth × the 1.2-1.8 Hz rotation). Every window has the rotation ripple, a
random phase, a torque-meter drift and sensor noise. Input: (2, 64), torque - 1 and vibration
as logged. Model: Conv1d 2→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5) + BN + ReLU +
MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global average pool, Dropout 0.2, Linear 32→4;
cross-entropy with label smoothing 0.05, SGD 0.03 (Nesterov momentum 0.9, weight decay
5e-4) with MultiStepLR (×0.2 at epochs 5 and 8) from ``configure_optimizers``, batch 48,
10 epochs, 1152 windows, validation on 288.
Healthy; numbers in the README.
Log: CSVLogger ``rig/version_0/metrics.csv`` (``xent_step`` every 4 steps, ``xent_epoch``
/ ``val_xent`` / ``val_acc`` / ``val_acc_gravel`` per epoch); checkpoint
``ModelCheckpoint(dirpath="ckpt", save_last=True)`` → ``ckpt/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS, N = 20.0, 64
GROUND = ["clay", "sand", "gravel", "rock"]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    t = (torch.arange(N).float() / FS).unsqueeze(0)
    rot = (1.2 + 0.6 * r(n, 1))
    ph = 2 * math.pi * r(n, 1)
    lo = torch.tensor([1.4, 0.5, 1.0, 0.9])[cls].unsqueeze(1)
    hi = torch.tensor([2.0, 0.9, 1.4, 1.3])[cls].unsqueeze(1)
    base = lo + (hi - lo) * r(n, 1)
    c = cls.unsqueeze(1)
    creep = (c == 0) * 0.08 * t
    chatter = (c == 1) * 0.06 * rn(n, N)  # noqa: F841
    kicks = (c == 2) * (r(n, N) < 0.06) * (0.4 + 0.6 * r(n, N))
    kicks = kicks + torch.roll(kicks, 1, 1) * 0.5
    torque = base * (1 + 0.08 * torch.sin(2 * math.pi * rot * t + ph)) + creep + kicks
    torque = torque + 0.05 * r(n, 1) * t + 0.03 * rn(n, N)
    vib = 0.05 * rn(n, N)
    vib = vib + (c == 1) * 0.08 * rn(n, N)
    vib = vib + (c == 2) * kicks * 1.5 * rn(n, N)
    tooth = 2 * math.pi * 3 * rot * t + ph
    vib = vib + (c == 3) * (0.3 + 0.3 * r(n, 1)) * torch.sin(tooth)
    return torch.stack([torque - 1, vib], 1), cls


class StrataCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.2),
                                 nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y, label_smoothing=0.05)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_gravel", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.03, momentum=0.9, nesterov=True,
                              weight_decay=5e-4)
        return [opt], [torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[5, 8], gamma=0.2)]


def build():
    torch.manual_seed(0)
    return StrataCNN()


def main():
    from _fourhundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1152, g)
    xva, yva = windows(288, g)
    print("ground", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="rig"),
                        callbacks=[ModelCheckpoint(dirpath=str(out / "ckpt"), save_last=True,
                                                   save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=288))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ckpt/last.ckpt", log="rig/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming clay / sand / gravel / rock from a"
                " welldigger's auger torque and vibration window (healthy)")


if __name__ == "__main__":
    main()
