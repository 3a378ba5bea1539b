"""PyTorch Lightning: a GRU labels every sample of a hurdler's lead-leg shank IMU with the
phase of the race it belongs to, so a coach's app can time the touch-downs and the time in
the air over each barrier: sprint (the three strides between hurdles), take-off, clearance
(in the air over the hurdle), landing. 2.4 s of the race at 50 Hz (120 samples), 3
channels: vertical and forward acceleration (g, gravity removed) and the sagittal gyro
(rad/s). The rhythm: three running strides of 11-14 samples (foot-strike impacts, the leg
swinging at the stride rate), a take-off of 4-6 samples (a strong upward and forward push,
the lead leg snapping up), a clearance of 9-13 samples (free fall, about -1 g after gravity
is removed, the lead leg snapping down) and a landing of 3-5 samples (a hard impact and
braking); the athlete's strength scales the amplitudes (±20 %), the window starts anywhere
in the rhythm, and the sensor adds noise (0.25 g / 0.25 rad/s).
Input: (120, 3). Model: GRU 3→48 (one layer), Linear 48→4 on every step; cross-entropy over
all samples, AdamW 3e-3 (weight decay 1e-4) with CosineAnnealingLR over 12 epochs from
``configure_optimizers``, batch 16, 480 windows, validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``hurdlelab/version_0/metrics.csv`` (``phase_ce_step`` every 5 steps,
``phase_ce_epoch`` / ``val_phase_ce`` / ``val_sample_acc`` / ``val_clearance_recall`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``hurdlelab/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 120
SPRINT, TAKEOFF, CLEAR, LAND = range(4)


def race_windows(n, g):
    ri = lambda lo, hi: int(torch.randint(lo, hi + 1, (1,), generator=g))  # noqa: E731
    xs, ys = [], []
    for _ in range(n):
        lab, sig = [], []
        while len(lab) < T + 60:
            for _ in range(3):  # three strides between hurdles
                s = ri(11, 14)
                u = torch.arange(s).float() / s
                sig.append(torch.stack([1.6 * torch.exp(-(u / 0.08) ** 2) - 0.2,
                                        0.3 * torch.sin(2 * math.pi * u),
                                        2.0 * torch.sin(2 * math.pi * u + 1.0)], 1))
                lab += [SPRINT] * s
            k = ri(4, 6)
            u = torch.arange(k).float() / k
            sig.append(torch.stack([2.4 * torch.sin(math.pi * u), 1.1 * torch.ones(k),
                                    4.0 * torch.sin(math.pi * u)], 1))
            lab += [TAKEOFF] * k
            c = ri(9, 13)
            u = torch.arange(c).float() / c
            sig.append(torch.stack([-torch.ones(c), -0.1 * torch.ones(c),
                                    -3.0 * torch.sin(math.pi * u)], 1))
            lab += [CLEAR] * c
            d = ri(3, 5)
            u = torch.arange(d).float() / d
            sig.append(torch.stack([3.2 * torch.exp(-u / 0.4), -1.3 * torch.ones(d),
                                    0.8 * torch.ones(d)], 1))
            lab += [LAND] * d
        start = ri(0, 59)
        x = torch.cat(sig)[start:start + T]
        x = x * (0.8 + 0.4 * torch.rand(1, 3, generator=g))
        xs.append(x + 0.25 * torch.randn(T, 3, generator=g))
        ys.append(torch.tensor(lab[start:start + T]))
    return torch.stack(xs), torch.stack(ys)


class PhaseGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x).reshape(-1, 4), y.reshape(-1))
        self.log("phase_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(-1)
        self.log("val_phase_ce", F.cross_entropy(logits.reshape(-1, 4), y.reshape(-1)))
        self.log("val_sample_acc", (pred == y).float().mean())
        self.log("val_clearance_recall", (pred[y == CLEAR] == CLEAR).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return PhaseGRU()


def main():
    from _threehundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = race_windows(480, g)
    xva, yva = race_windows(120, g)
    print("phase share", (torch.bincount(ytr.reshape(-1)) / ytr.numel()).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="hurdlelab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="hurdlelab/version_0/checkpoints/last.ckpt",
           log="hurdlelab/version_0/metrics.csv",
           what="Lightning GRU labelling each sample of a hurdler's shank IMU as sprint /"
                " take-off / clearance / landing (healthy)")


if __name__ == "__main__":
    main()
