"""PyTorch Lightning: a GRU labels every minute of a whelk boat's trip with what the boat was
doing, for the skipper's effort log (pots hauled per string, hours steamed): steaming,
hauling a string of whelk pots, shooting the string back, or lying to / dodging. Each trip
is 64 minutes of the boat's plotter at one record a minute: speed over ground (knots), turn
in the minute (degrees) and the pot hauler's hydraulic pressure (bar). Activities run in
spells (steaming 6-20 min at 7-10 kn, straight; hauling 8-20 min at 0.5-2.5 kn, turning a
little along the string, hauler at 60-110 bar; shooting 4-10 min at 4.5-6.5 kn, straight,
hauler off; lying to 3-12 min at 0-1.2 kn, heading wandering), with GPS speed noise and a
pressure gauge that drops out (reads 0) in a tenth of the minutes, so the model has to read
the neighbouring minutes.
Input: (64, 3) scaled (knots / 10, degrees / 90, bar / 100). Model: GRU 3→48, Linear 48→4
per minute; cross-entropy over all minutes, Adam 4e-3 with ExponentialLR(0.85) from
``configure_optimizers``, batch 16 trips, 8 epochs of 480 trips, validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``wheelhouse/version_0/metrics.csv`` (``minute_ce_step`` every 5 steps,
``minute_ce_epoch`` / ``val_minute_ce`` / ``val_minute_acc`` / ``val_acc_hauling`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` →
``wheelhouse/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 64
SPELL = {0: (6, 20), 1: (8, 20), 2: (4, 10), 3: (3, 12)}  # steam, haul, shoot, lie to
SPEED = {0: (7.0, 10.0), 1: (0.5, 2.5), 2: (4.5, 6.5), 3: (0.0, 1.2)}
NEXT = {0: [1, 3], 1: [2, 1, 0], 2: [0, 1, 3], 3: [1, 0]}


def trips(n, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    xs, ys = [], []
    for _ in range(n):
        act = int(torch.randint(0, 4, (1,), generator=g))
        lab = []
        while len(lab) < T:
            lo, hi = SPELL[act]
            lab += [act] * int(lo + (hi - lo + 1) * r())
            nxt = NEXT[act]
            act = nxt[int(torch.randint(0, len(nxt), (1,), generator=g))]
        y = torch.tensor(lab[:T])
        lo = torch.tensor([SPEED[a][0] for a in range(4)])[y]
        hi = torch.tensor([SPEED[a][1] for a in range(4)])[y]
        spd = lo + (hi - lo) * (0.5 + 0.5 * torch.rand(1, generator=g)) + 0.6 * torch.randn(T, generator=g)
        turn = torch.tensor([3.0, 15.0, 3.0, 40.0])[y] * torch.randn(T, generator=g).abs()
        bar = torch.where(y == 1, 60 + 50 * torch.rand(T, generator=g), 3 * torch.rand(T, generator=g))
        bar = torch.where(torch.rand(T, generator=g) < 0.1, torch.zeros(T), bar)
        xs.append(torch.stack([spd.clamp(min=0) / 10, turn / 90, bar / 100], 1))
        ys.append(y)
    return torch.stack(xs), torch.stack(ys)


class TripTagger(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x).reshape(-1, 4), y.reshape(-1))
        self.log("minute_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(-1)
        self.log("val_minute_ce", F.cross_entropy(logits.reshape(-1, 4), y.reshape(-1)))
        self.log("val_minute_acc", (pred == y).float().mean())
        self.log("val_acc_hauling", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=4e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return TripTagger()


def main():
    from _threehundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trips(480, g)
    xva, yva = trips(120, g)
    print("minutes per activity", torch.bincount(ytr.flatten()).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="wheelhouse"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wheelhouse/version_0/checkpoints/last.ckpt",
           log="wheelhouse/version_0/metrics.csv",
           what="Lightning GRU labelling each minute of a whelk boat's trip (steaming / hauling"
                " / shooting / lying to) from its plotter and hauler pressure (healthy)")


if __name__ == "__main__":
    main()
