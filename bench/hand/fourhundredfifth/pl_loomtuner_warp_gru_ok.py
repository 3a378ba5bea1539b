"""PyTorch Lightning: a GRU reads what a loomtuner's clip-on sensors record over 4 picks of a
rapier loom (16 samples a pick, 64 steps): the warp tension at the back rest (cN per end,
centred on the set tension) and the sley's vibration envelope, and flags three faults at once
(multi-label): slack warp (tension low, with a bigger swing at each shed change as the ends
sag and snap tight), late shed timing (the tension peak of the shed opening comes 2-4 samples
after the beat-up instead of with it) and a worn rapier gripper (an extra rattle spike a few
samples after beat-up, its size varying pick to pick). Each fault is present on a loom with
probability 0.35, independently; sensor noise on both channels, pick rate 5-7 % off nominal.
Input: (64, 2) per window, tension / 10 cN and vibration in g. Model: GRU 2→40 (1 layer),
last hidden state, Linear 40→3; BCE with logits, Adam 6e-3 with ExponentialLR(0.85) from
``configure_optimizers``, batch 48, 10 epochs, 1440 windows, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``loomroom/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_late_shed`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``loomroom/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

PICK, PICKS = 16, 4
FAULTS = ["slack_warp", "late_shed", "worn_gripper"]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < 0.35).float()
    steps = PICK * PICKS
    rate = 1.0 + 0.06 * (r(n, 1) - 0.5)
    t = torch.arange(steps).float().unsqueeze(0) * rate
    phase = (t % PICK) / PICK  # 0 = beat-up
    slack, late, worn = y[:, :1], y[:, 1:2], y[:, 2:3]
    lag = late * (2 + 2 * r(n, 1)) / PICK
    shed = torch.cos(2 * math.pi * (phase - lag))
    tension = (1.0 - 0.6 * slack) + (0.5 + 0.5 * slack) * shed
    tension = tension + 0.12 * torch.randn(n, steps, generator=g)
    beat = torch.exp(-((phase - 0.0) * PICK) ** 2 / 0.8) + torch.exp(-((phase - 1.0) * PICK) ** 2
                                                                       / 0.8)
    rattle_at = (3 + 2 * r(n, 1)) / PICK
    size = worn * (0.6 + 0.6 * r(n, steps))
    rattle = size * torch.exp(-((phase - rattle_at) * PICK) ** 2 / 1.5)
    vib = beat + rattle + 0.1 * torch.randn(n, steps, generator=g).abs()
    return torch.stack([tension, vib], 2), y


class WarpGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 40, batch_first=True)
        self.head = nn.Linear(40, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 1] * y[:, 1]).sum()
        f1 = 2 * tp / (pred[:, 1].sum() + y[:, 1].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_f1_late_shed", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=6e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return WarpGRU()


def main():
    from _fourhundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1440, g)
    xva, yva = windows(360, g)
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="loomroom"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="loomroom/version_0/checkpoints/last.ckpt",
           log="loomroom/version_0/metrics.csv",
           what="Lightning GRU flagging slack warp / late shed / worn gripper (multi-label)"
                " from a loom's warp tension and sley vibration over 4 picks (healthy)")


if __name__ == "__main__":
    main()
