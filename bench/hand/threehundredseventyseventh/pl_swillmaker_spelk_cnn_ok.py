"""PyTorch Lightning: a 1-D CNN with batch norm tells a swill-maker how each oak spelk came off
the pole, from the trace of an instrumented riving brake. Oak poles are boiled, then riven
with a froe into thin spelks that are woven into swill baskets; the brake logs the splitting
force along the grain and the side (twist) force on the froe handle, 64 samples over a 32 cm
split. Four outcomes: a clean spelk (the force rises to a plateau set by the spelk thickness,
0.5-0.9 kN, with a small ripple from the medullary rays; little side force), a run-out (the
split wanders off the grain: the force keeps climbing, the side force grows with it, and the
spelk snaps off at 40-90 % of the run), a knot (a clean plateau with a sharp force spike,
1.6-2.3 × the plateau, 3-6 samples wide, and a side kick where the split goes round it) and a
brash spelk (an over-dry or slow-grown pole: a low, jagged plateau at 0.35-0.6 of a clean
one with frequent small drops). Classes are not equal (clean 45 %, run-out 20 %, knot 20 %,
brash 15 %).
Input: (2, 64), force and side force in kN. Model: Conv1d 2→24 (k7) + BN + ReLU + MaxPool2,
Conv1d 24→48 (k5) + BN + ReLU + MaxPool2, Conv1d 48→48 (k3) + BN + ReLU, global average pool,
Dropout 0.2, Linear 48→4; cross-entropy, AdamW 2e-3 (weight decay 1e-4) with
CosineAnnealingLR over the 8 epochs from ``configure_optimizers``, batch 48, 960 traces,
validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``brake/version_0/metrics.csv`` (``train_ce`` and ``train_acc`` per epoch,
``val_ce`` / ``val_acc`` / ``val_recall_runout`` per epoch, ``lr-AdamW`` from a
LearningRateMonitor); checkpoints ``ModelCheckpoint(save_last=True, monitor="val_ce")`` →
``brake/version_0/checkpoints/last.ckpt`` and the best ``spelk-e=N.ckpt`` beside it."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 64
EPOCHS = 8


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.multinomial(torch.tensor([0.45, 0.2, 0.2, 0.15]), n, replacement=True,
                            generator=g)
    pos = torch.linspace(0, 1, N).unsqueeze(0)
    plateau = 0.5 + 0.4 * r(n, 1)
    rise = 1 - torch.exp(-pos / (0.04 + 0.05 * r(n, 1)))
    ripple = 0.04 * torch.sin(2 * torch.pi * (6 + 6 * r(n, 1)) * pos + 6.28 * r(n, 1))
    force = plateau * (rise + ripple)
    side = 0.05 * plateau * torch.randn(n, 1, generator=g) * torch.ones(1, N)
    # run-out: climbing force, growing side force, snaps off
    snap = 0.4 + 0.5 * r(n, 1)
    climb = plateau * (rise + (0.8 + 0.8 * r(n, 1)) * pos) * (pos < snap) \
        + 0.08 * plateau * (pos >= snap)
    runout = (cls == 1).unsqueeze(1)
    force = torch.where(runout, climb, force)
    side = torch.where(runout, side + (0.3 + 0.3 * r(n, 1)) * plateau * pos * (pos < snap), side)
    # knot: a spike and a side kick
    at = 0.25 + 0.55 * r(n, 1)
    width = (3 + 3 * r(n, 1)) / N
    bump = torch.exp(-((pos - at) / width) ** 2)
    knot = (cls == 2).unsqueeze(1)
    force = torch.where(knot, force * (1 + (0.6 + 0.7 * r(n, 1)) * bump), force)
    side = torch.where(knot, side + 0.25 * plateau * bump * torch.sign(r(n, 1) - 0.5), side)
    # brash: low, jagged, small drops
    jag = 0.12 * torch.randn(n, N, generator=g) + 0.15 * (r(n, N) < 0.12).float() * -1
    brash = (cls == 3).unsqueeze(1)
    force = torch.where(brash, force * (0.35 + 0.25 * r(n, 1)) * (1 + jag), force)
    x = torch.stack([force + 0.02 * torch.randn(n, N, generator=g),
                     side + 0.02 * torch.randn(n, N, generator=g)], 1)
    return x, cls


class SpelkCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(2, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 5, padding=2), nn.BatchNorm1d(48), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(48, 48, 3, padding=1), nn.BatchNorm1d(48), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(48, 4))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_ce", loss, on_step=False, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False,
                 on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_recall_runout", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return SpelkCNN()


def main():
    from _threehundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(3)
    xtr, ytr = traces(960, g)
    xva, yva = traces(240, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    L.seed_everything(3, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(save_last=True, monitor="val_ce", save_top_k=1,
                           filename="spelk-e={epoch}", auto_insert_metric_name=False)
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="brake"),
                        callbacks=[ckpt, LearningRateMonitor("epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="brake/version_0/checkpoints/last.ckpt",
           log="brake/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming clean / run-out / knot / brash oak"
                " spelks from a swill-maker's riving-brake force trace (healthy)")


if __name__ == "__main__":
    main()
