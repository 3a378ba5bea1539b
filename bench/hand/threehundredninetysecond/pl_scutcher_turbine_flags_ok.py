"""PyTorch Lightning: a 1-D CNN without batch norm watches a flax scutching turbine (the
scutcher's rotating blade wheels that beat the broken straw off the fibre) from two
accelerometers on its bearing housings (1 s, 128 samples each, 128 Hz) and raises three
independent flags for the mill wright (multi-label): blades worn, bearing loose, overfeed.
The wheel turns 5-7 rev/s with 4 blades, so the blade-pass tone sits at 20-28 Hz with
harmonics; worn blades hit softer and duller (blade-pass tone down, its second harmonic
weaker, more broadband scuffing), a loose bearing rattles (short sharp impulses once a
revolution, on the near sensor mostly), overfeed (too much straw fed) loads the wheel and
gives a slow 1-3 Hz surge with a rising blade-pass amplitude. Each fault is drawn on its own
(25-30 %), with load, speed and sensor noise on top.
Input: (2, 128) in g. Model: Conv1d 2→24 (k7, stride 2) + ReLU, Conv1d 24→32 (k5) + ReLU +
MaxPool2, Conv1d 32→48 (k3) + ReLU, global max and mean pool, Linear 96→3; BCE with logits,
Adam 2e-3 with CosineAnnealingLR over 12 epochs from ``configure_optimizers``, batch 48, 1440
windows, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``scutch_mill/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch`` / ``val_bce`` / ``val_f1_worn`` / ``val_f1_loose`` / ``val_f1_overfeed`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``scutch_mill/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 128.0
N = 128
FLAGS = ["worn", "loose", "overfeed"]


def turbine_windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    worn = (r(n, 1) < 0.3).float()
    loose = (r(n, 1) < 0.25).float()
    over = (r(n, 1) < 0.25).float()
    t = torch.arange(N).float() / FS
    rev = 5 + 2 * r(n, 1)
    bp = 2 * math.pi * 4 * rev * t + 2 * math.pi * r(n, 1)
    load = 0.8 + 0.4 * r(n, 1) + 0.5 * over
    tone = load * ((1 - 0.45 * worn) * torch.sin(bp) + (0.5 - 0.35 * worn) * torch.sin(2 * bp))
    surge = 1 + over * 0.6 * torch.sin(2 * math.pi * (1 + 2 * r(n, 1)) * t + 6.28 * r(n, 1))
    scuff = (0.08 + 0.25 * worn) * torch.randn(n, N, generator=g)
    ph = (rev * t + r(n, 1)) % 1.0
    tau = ph / rev  # seconds since the loose cap last struck
    knock = loose * 4.0 * torch.exp(-tau / 0.04) * torch.sin(2 * math.pi * 45 * tau)
    near = tone * surge + scuff + knock + 0.1 * torch.randn(n, N, generator=g)
    far = 0.7 * tone * surge + 0.7 * scuff + 0.3 * knock + 0.1 * torch.randn(n, N, generator=g)
    return torch.stack([near, far], 1), torch.cat([worn, loose, over], 1)


def f1(pred, y):
    tp = (pred * y).sum()
    return (2 * tp / (pred.sum() + y.sum()).clamp(min=1)).item()


class TurbineFlags(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 24, 7, stride=2, padding=3), nn.ReLU(),
                                  nn.Conv1d(24, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 48, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(96, 3)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(2), h.mean(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        for i, name in enumerate(FLAGS):
            self.log(f"val_f1_{name}", f1(pred[:, i], y[:, i]))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return TurbineFlags()


def main():
    from _threehundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = turbine_windows(1440, g)
    xva, yva = turbine_windows(360, g)
    print("flag rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="scutch_mill"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="scutch_mill/version_0/checkpoints/last.ckpt",
           log="scutch_mill/version_0/metrics.csv",
           what="Lightning 1-D CNN without batch norm flagging worn blades / loose bearing /"
                " overfeed on a flax scutching turbine from two accelerometers (healthy)")


if __name__ == "__main__":
    main()
