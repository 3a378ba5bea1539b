"""PyTorch Lightning: a 1-D CNN with batch norm flags what a molecatcher's buried geophone
(a spike pushed into the lawn beside a fresh run, 32 Hz, 4 s windows of 128 samples) is
hearing, so that his phone buzzes when a mole is working the run he has set and not for the
dog: multi-label, any of four at once: a mole digging (short bursts of 6-11 Hz scratching,
2-5 bursts a window, loudest when near), footsteps (sharp impulses at 1.6-2.2 Hz with a decay
tail), rain (many small random impulses) and a mower or tractor nearby (a steady 2.5-4 Hz hum
with a slow swell), on a background of ground noise that differs from lawn to lawn.
Input: (1, 128) ground velocity in arbitrary units. Model: Conv1d 1→16 (k7) + BN + ReLU +
MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global max
and average pool concatenated, Linear 64→4; BCE with logits, AdamW 3e-3 (weight decay 1e-3)
with CosineAnnealingLR over 12 epochs from ``configure_optimizers``, batch 64, 12 epochs, 1600
windows, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``molephone/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact`` / ``val_f1_mole`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``molephone/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 32.0
N = 128


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() / FS
    y = (r(n, 4) < torch.tensor([0.45, 0.3, 0.3, 0.25])).float()
    x = (0.05 + 0.1 * r(n, 1)) * torch.randn(n, N, generator=g)
    # mole: bursts of scratching
    for k in range(5):
        on = y[:, 0:1] * (r(n, 1) < torch.tensor(0.4 + 0.15 * k).clamp(max=1.0)).float()
        c = 4 * r(n, 1)
        env = torch.exp(-((t - c) / 0.12) ** 2)
        f = 6 + 5 * r(n, 1)
        x = x + on * (0.3 + 0.5 * r(n, 1)) * env * torch.sin(2 * math.pi * f * t + 6.3 * r(n, 1))
    # footsteps: impulses with a decay tail
    rate = 1.6 + 0.6 * r(n, 1)
    ph = r(n, 1)
    since = ((t * rate + ph) % 1.0) / rate
    x = x + y[:, 1:2] * (0.8 + 0.8 * r(n, 1)) * torch.exp(-since / 0.05) * torch.cos(40 * since)
    # rain: many small impulses
    drops = (r(n, N) < 0.25).float() * (0.2 + 0.3 * r(n, N)) * torch.sign(r(n, N) - 0.5)
    x = x + y[:, 2:3] * drops
    # machine hum
    f = 2.5 + 1.5 * r(n, 1)
    swell = 1 + 0.3 * torch.sin(2 * math.pi * 0.3 * t + 6.3 * r(n, 1))
    x = x + y[:, 3:4] * (0.2 + 0.3 * r(n, 1)) * swell * torch.sin(2 * math.pi * f * t + 6.3 * r(n, 1))
    return x.unsqueeze(1), y


class MolePhone(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                  nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.fc = nn.Linear(64, 4)

    def forward(self, x):
        h = self.conv(x)
        return self.fc(torch.cat([h.amax(2), h.mean(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 0] * y[:, 0]).sum()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_f1_mole", 2 * tp / (pred[:, 0].sum() + y[:, 0].sum()).clamp(min=1))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return MolePhone()


def main():
    from _threehundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1600, g)
    xva, yva = windows(400, g)
    print("label rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="molephone"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="molephone/version_0/checkpoints/last.ckpt",
           log="molephone/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging mole digging / footsteps / rain /"
                " machinery in a molecatcher's geophone window, multi-label (healthy)")


if __name__ == "__main__":
    main()
