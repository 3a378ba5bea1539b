"""PyTorch Lightning: a GRU labels every minute of a fell walker's watch recording (90
minutes of a round) as resting, walking the flat or gentle paths, climbing, descending, or
scrambling, so the club's route log can split a round into its legs and time the scrambles.
The walk is a chain of legs (each lasts 3-15 minutes, the next leg drawn from what follows
on a fell round: a climb is often followed by a scramble or a rest on the top, a descent by
the valley path); each leg sets the true pace and grade (flat 60-85 m/min at ±3 %, climb
35-55 m/min at +10-25 %, descent 55-80 m/min at -10-25 %, scramble 8-20 m/min at +30-60 %,
rest 0-5 m/min), and the heart rate follows the work with a lag of a couple of minutes. The
watch reports per minute the GPS distance (±12 m, with dropouts under crags), the
barometric height change (±3 m, drifting with the weather) and the heart rate (±4 bpm).
Input: (90, 3) standardised; target: (90,) leg ids. Model: GRU 3→48 (1 layer),
Linear 48→5 at every minute; cross-entropy over all minutes, Adam 3e-3 with
CosineAnnealingLR over the 12 epochs from ``configure_optimizers``, batch 24, 480 rounds,
validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``fellrounds/version_0/metrics.csv`` (``leg_ce_step`` every 5 steps,
``leg_ce_epoch`` / ``val_leg_ce`` / ``val_minute_acc`` / ``val_scramble_recall`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``fellrounds/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 90
LEGS = ["rest", "flat", "climb", "descent", "scramble"]
# what tends to follow each leg on a round
NEXT = torch.tensor([[0.00, 0.35, 0.25, 0.35, 0.05],
                     [0.10, 0.00, 0.50, 0.30, 0.10],
                     [0.35, 0.15, 0.00, 0.15, 0.35],
                     [0.20, 0.60, 0.10, 0.00, 0.10],
                     [0.40, 0.05, 0.40, 0.15, 0.00]])


def rounds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    legs = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        t, leg = 0, int(torch.multinomial(torch.tensor([0.1, 0.6, 0.3, 0.0, 0.0]), 1, generator=g))
        while t < T:
            d = int(torch.randint(3, 16, (1,), generator=g))
            legs[i, t:t + d] = leg
            t += d
            leg = int(torch.multinomial(NEXT[leg], 1, generator=g))
    lo = torch.tensor([0.0, 60, 35, 55, 8])[legs]
    hi = torch.tensor([5.0, 85, 55, 80, 20])[legs]
    pace = lo + (hi - lo) * r(n, T)
    glo = torch.tensor([0.0, -0.03, 0.10, -0.25, 0.30])[legs]
    ghi = torch.tensor([0.0, 0.03, 0.25, -0.10, 0.60])[legs]
    climb = pace * (glo + (ghi - glo) * r(n, T))
    work = torch.tensor([0.0, 0.3, 1.0, 0.35, 0.9])[legs] + climb.clamp(min=0) / 15
    hr = torch.zeros(n, T)
    level = 75 + 10 * r(n)
    for t in range(T):
        level = level + 0.45 * (75 + 70 * work[:, t] - level)
        hr[:, t] = level
    dropout = (r(n, T) < 0.05 + 0.2 * (legs == 4).float()).float()
    gps = (pace + 12 * torch.randn(n, T, generator=g)).clamp(min=0) * (1 - dropout)
    baro = climb + 3 * torch.randn(n, T, generator=g) + (r(n, 1) - 0.5) * 2
    hr = hr + 4 * torch.randn(n, T, generator=g)
    x = torch.stack([gps / 40 - 1, baro / 10, (hr - 120) / 25], 2)
    return x, legs


class LegTagger(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.out = nn.Linear(48, len(LEGS))

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x).reshape(-1, len(LEGS)), y.reshape(-1))
        self.log("leg_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(-1)
        self.log("val_leg_ce", F.cross_entropy(logits.reshape(-1, len(LEGS)), y.reshape(-1)))
        self.log("val_minute_acc", (pred == y).float().mean())
        self.log("val_scramble_recall", (pred[y == 4] == 4).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return LegTagger()


def main():
    from _threehundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rounds(480, g)
    xva, yva = rounds(120, g)
    print("minutes per leg", torch.bincount(ytr.reshape(-1), minlength=5).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="fellrounds"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=24, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fellrounds/version_0/checkpoints/last.ckpt",
           log="fellrounds/version_0/metrics.csv",
           what="Lightning GRU labelling every minute of a fell walk (rest / flat / climb /"
                " descent / scramble) from GPS, barometer and heart rate (healthy)")


if __name__ == "__main__":
    main()
