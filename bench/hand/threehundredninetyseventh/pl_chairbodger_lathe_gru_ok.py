"""PyTorch Lightning: a GRU names what a chairbodger is doing at the pole lathe from 3 s of
two sensors clipped to the lathe (20 Hz, 60 samples): the spindle's angular speed (the cord
round the billet turns it forward on the treadle's down-stroke and back as the pole springs
up) and the tool-rest vibration (RMS, arbitrary units). Four operations on a green beech
chair leg: roughing out with the gouge (heavy cuts pull the forward strokes down, rough
vibration), planing with the skew (fast smooth strokes, quiet rest), cutting beads (short
quick treadle strokes, bursts of vibration at each bead), parting off (the leg end thins, so
the forward speed climbs through the window and the rest goes quiet near the end).
Treadle rate, stroke, billet size and sensor noise vary from leg to leg.
Input: (60, 2), speed / 10 rad/s and vibration. Model: GRU 2→40 (one layer), last state,
Linear 40→4; cross-entropy, Adam 5e-3 with CosineAnnealingLR over the 12 epochs from
``configure_optimizers``, batch 48, 1200 windows, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``polelathe/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_parting`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``polelathe/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 20.0
T = 60
OPS = ["roughing", "planing", "beading", "parting"]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    op = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float() / FS
    rate = torch.tensor([1.0, 1.3, 1.8, 0.9])[op] * (0.85 + 0.3 * r(n))
    peak = torch.tensor([14.0, 22.0, 12.0, 16.0])[op] * (0.8 + 0.4 * r(n))
    ph = 2 * math.pi * r(n, 1)
    s = torch.sin(2 * math.pi * rate.unsqueeze(1) * t + ph)
    fwd = s.clamp(min=0)
    rough, beads, part = [(op == k).float().unsqueeze(1) for k in (0, 2, 3)]
    drag = 1 - rough * 0.35 * (0.6 + 0.8 * r(n, 1)) * fwd
    climb = 1 + part * (0.4 + 0.4 * r(n, 1)) * t / t[-1]
    speed = peak.unsqueeze(1) * s * drag * climb
    speed = speed + 0.6 * torch.randn(n, T, generator=g)
    vib = (0.15 + 0.5 * rough * r(n, T)) * fwd
    vib = vib + beads * 0.5 * fwd * (torch.sin(2 * math.pi * 3.0 * t) > 0.6).float()
    vib = vib + (1 - rough) * (1 - beads) * 0.1 * fwd * (1 - part * t / t[-1])
    vib = vib + 0.05 * r(n, T)
    return torch.stack([speed / 10, vib], 2), op


class LatheGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 40, batch_first=True)
        self.head = nn.Linear(40, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

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
        self.log("val_acc_parting", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return LatheGRU()


def main():
    from _threehundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1200, g)
    xva, yva = windows(300, g)
    print("ops", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="polelathe"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="polelathe/version_0/checkpoints/last.ckpt",
           log="polelathe/version_0/metrics.csv",
           what="Lightning GRU naming the pole-lathe operation (roughing / planing / beading /"
                " parting) from spindle speed and tool-rest vibration (healthy)")


if __name__ == "__main__":
    main()
