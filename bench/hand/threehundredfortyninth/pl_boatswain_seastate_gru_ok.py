"""PyTorch Lightning: a GRU reads 20 s of a ship's motion-reference unit (heave, pitch, roll at
2 Hz, 40 samples) and names the Douglas sea state the boatswain logs before sending hands on
deck: calm / smooth (Hs < 0.5 m), slight (0.5-1.25 m), moderate (1.25-2.5 m), rough (2.5-4 m).
Motion: the sea is three wave components (peak period 4-10 s, longer in higher seas), the
ship heaves with 0.7-1.0 of the wave height and pitches / rolls by an amount set by the
relative wave heading, plus sensor noise; the label is the sea state of the true significant
wave height, so states near a boundary are fuzzy from the motion alone.
Input: (40, 3): heave / 2 m, pitch / 5°, roll / 10°. Model: GRU(3→32, 1 layer), last hidden
state → Linear 32→4; cross-entropy, Adam 3e-3 with CosineAnnealingLR(12) from
``configure_optimizers``, batch 40, 12 epochs, 1000 recordings, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``bosun_deck/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_rough`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``bosun_deck/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 40
FS = 2.0
EDGES = torch.tensor([0.5, 1.25, 2.5])


def motions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hs = 0.1 + 3.9 * r(n) ** 0.8
    state = torch.bucketize(hs, EDGES)
    tp = (4 + 1.5 * hs + 1.5 * r(n)).clamp(max=10).unsqueeze(1)
    t = torch.arange(T).float() / FS
    heave = torch.zeros(n, T)
    for k, share in enumerate([0.7, 0.5, 0.35]):  # noqa: B007
        per = tp * (0.8 + 0.4 * r(n, 1))
        heave = heave + share * torch.sin(2 * math.pi * t / per + 2 * math.pi * r(n, 1))
    heave = heave / heave.std(1, keepdim=True) * (hs / 4).unsqueeze(1)  # Hs = 4 sigma
    heave = heave * (0.7 + 0.3 * r(n, 1))
    head = 2 * math.pi * r(n, 1)
    slope = torch.diff(heave, dim=1, prepend=heave[:, :1]) * FS
    pitch = 3.0 * slope * torch.cos(head).abs() + 0.3 * torch.randn(n, T, generator=g)
    roll = 6.0 * slope * torch.sin(head).abs() * (1 + 0.3 * r(n, 1)) \
        + 0.6 * torch.randn(n, T, generator=g)
    heave = heave + 0.05 * torch.randn(n, T, generator=g)
    x = torch.stack([heave / 2, pitch / 5, roll / 10], 2)
    return x, state


class SeaStateGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

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
        self.log("val_acc_rough", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return SeaStateGRU()


def main():
    from _threehundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = motions(1000, g)
    xva, yva = motions(250, g)
    print("states", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bosun_deck"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bosun_deck/version_0/checkpoints/last.ckpt",
           log="bosun_deck/version_0/metrics.csv",
           what="Lightning GRU naming the Douglas sea state from a ship's heave / pitch / roll"
                " recording (healthy)")


if __name__ == "__main__":
    main()
