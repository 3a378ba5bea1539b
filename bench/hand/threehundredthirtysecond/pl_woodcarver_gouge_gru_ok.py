"""PyTorch Lightning: a GRU reads the force trace of one gouge cut from a woodcarver's
instrumented handle (a strain gauge and a depth stop, 48 samples over a 12 cm cut) and flags
what went on in it, multi-label, so a carving school can show students their own cuts:
tear-out (cutting against the grain: the force builds in a saw-tooth and drops as splinters
split ahead of the edge, the depth jumping a little at each drop), a knot (a short, hard force
bump of 2-3× with the depth dipping as the gouge rides up), a dull edge (the baseline force
50-80 % higher and creeping up along the cut, the depth wandering). Each happens on its own in
about a third of cuts; wood density (basswood to walnut) scales all forces, the depth set by
the carver (1-4 mm) scales them too; sensor noise.
Input: (48, 3) force in N / 20, its change per sample / 5 and depth in mm / 3. Model: GRU
3→48 (one layer), last hidden state → Linear 48→3 (logits); BCE with logits, Adam 3e-3 with ExponentialLR (×0.85 per epoch)
from ``configure_optimizers``, batch 48, 12 epochs, 1440 cuts, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``gougelab/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``,
``val_bce``, ``val_exact_match``, ``val_f1_tearout`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``gougelab/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 48
FLAGS = ["tear_out", "knot", "dull_edge"]


def cuts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < 0.33).float()
    s = torch.arange(T).float().unsqueeze(0)
    dens = 0.6 + 0.8 * r(n, 1)  # basswood .. walnut
    depth = 1 + 3 * r(n, 1)
    base = 15 * dens * depth / 2.5
    dull = y[:, 2:3]
    force = base * (1 + dull * (0.5 + 0.3 * r(n, 1)) * (1 + 0.4 * s / T))
    period = 5 + 4 * r(n, 1)
    tooth = ((s + period * r(n, 1)) % period) / period  # builds, then drops
    force = force + y[:, 0:1] * base * 0.8 * (tooth - 0.5)
    dpt = depth + y[:, 0:1] * 0.25 * (tooth < 0.15).float()
    at = 8 + 32 * r(n, 1)
    bump = torch.exp(-0.5 * ((s - at) / (1 + r(n, 1))) ** 2)
    force = force + y[:, 1:2] * base * (1.0 + r(n, 1)) * bump
    dpt = dpt - y[:, 1:2] * 0.6 * bump + dull * 0.15 * torch.sin(2 * math.pi * s / 20 + 6 * r(n, 1))
    force = force + 0.6 * torch.randn(n, T, generator=g)
    dpt = dpt + 0.05 * torch.randn(n, T, generator=g)
    rate = torch.diff(force, dim=1, prepend=force[:, :1])  # N per sample, the edge's bite
    return torch.stack([force / 20, rate / 5, dpt / 3], 2), y


class GougeGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 3)

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
        tp = (pred[:, 0] * y[:, 0]).sum()
        f1 = 2 * tp / (pred[:, 0].sum() + y[:, 0].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact_match", (pred == y).all(1).float().mean())
        self.log("val_f1_tearout", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)]


def build():
    torch.manual_seed(0)
    return GougeGRU()


def main():
    from _threehundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cuts(1440, g)
    xva, yva = cuts(360, g)
    print("flag rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="gougelab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="gougelab/version_0/checkpoints/last.ckpt",
           log="gougelab/version_0/metrics.csv",
           what="Lightning GRU flagging tear-out / knot / dull edge (multi-label) in a"
                " woodcarver's gouge-cut force trace (healthy)")


if __name__ == "__main__":
    main()
