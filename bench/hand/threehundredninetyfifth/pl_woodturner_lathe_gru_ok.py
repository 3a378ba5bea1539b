"""PyTorch Lightning: a GRU listens to a woodturner's lathe while a bowl blank spins and flags
three faults at once (multi-label), so the turner can stop before a catch: the blank is out
of balance (a strong wobble at the spindle rate, growing with speed squared), the tool is
chattering (bursts of the tool's own ring, 55-85 Hz, on the tool rest), the chuck jaws are slipping
(a thump twice a turn and a slow drift in the spindle rate). Any, all or none can be present.
Two channels at 200 Hz for 0.4 s (80 samples): headstock accelerometer and tool-rest
accelerometer (g), spindle at 500-1500 rpm, random phase, bed rumble and sensor noise.
Input: (80, 2) per step, in units of 0.25 g. Model: GRU 2→32 (one layer), mean and max over time, Linear
64→32 + ReLU + Linear 32→3; BCE with logits, Adam 3e-3 with ReduceLROnPlateau on
``val_bce`` (×0.5, patience 2) from ``configure_optimizers``, batch 48, 10 epochs, 1200
recordings, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``lathe/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_chatter`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``lathe/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 200.0
T = 80
FAULTS = ["imbalance", "chatter", "chuck_slip"]


def recordings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < torch.tensor([0.35, 0.3, 0.25])).float()
    t = torch.arange(T).float() / FS
    rpm = 500 + 1000 * r(n, 1)
    drift = 1 - y[:, 2:3] * 0.06 * t / t[-1] * (0.5 + r(n, 1))  # slipping jaws lose speed
    f = rpm / 60 * drift
    ph = 2 * math.pi * r(n, 1)
    w = 2 * math.pi * f * t + ph
    speed2 = (rpm / 1000) ** 2
    head = (0.05 + y[:, 0:1] * (0.25 + 0.2 * r(n, 1)) * speed2) * torch.sin(w)
    rest = 0.3 * head
    cf = 55 + 30 * r(n, 1)  # the tool's own ring on the rest, 55-85 Hz
    burst = (torch.sin(2 * math.pi * f * t * 0.5 + r(n, 1) * 6) > 0).float()
    rest = rest + y[:, 1:2] * (0.3 + 0.2 * r(n, 1)) * burst * torch.sin(2 * math.pi * cf * t)
    thump = torch.relu(torch.cos(2 * w) - 0.9) * 6
    head = head + y[:, 2:3] * 0.25 * thump
    rest = rest + y[:, 2:3] * 0.1 * thump
    rumble = 0.03 * torch.sin(2 * math.pi * 12 * t + 6 * r(n, 1))
    x = torch.stack([head + rumble, rest + rumble], 2) + 0.04 * torch.randn(n, T, 2, generator=g)
    return 4 * x, y  # in quarter-g, the logger's unit


class LatheGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(torch.cat([h.mean(1), h.amax(1)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        tp = (p[:, 1] * y[:, 1]).sum()
        f1 = 2 * tp / (p[:, 1].sum() + y[:, 1].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        self.log("val_f1_chatter", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_bce"}}


def build():
    torch.manual_seed(0)
    return LatheGRU()


def main():
    from _threehundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recordings(1200, g)
    xva, yva = recordings(300, g)
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="lathe"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="lathe/version_0/checkpoints/last.ckpt",
           log="lathe/version_0/metrics.csv",
           what="Lightning GRU flagging imbalance / chatter / chuck slip (multi-label) from a"
                " woodturner's lathe accelerometers (healthy)")


if __name__ == "__main__":
    main()
