"""PyTorch Lightning: a 1-D CNN (no batch norm) reads 48 successive tick-to-tick intervals of a
mechanical metronome, taken with a contact microphone at the repair bench, and says what the
repairer should look at: 0 = in beat (only the ratchet's own jitter, 0.3-0.8 %), 1 = limping
(the swinging arm sits off centre, so left and right swings differ: intervals alternate
long-short by 1.5-6 %), 2 = running down (the spring is nearly wound down: the swing, and with
it the interval, lengthens by 1-5 % over the 48 ticks, sometimes after a steady start),
3 = sliding weight (the weight creeps down the arm: the interval shortens in small steps of
0.5-1.5 % every 8-16 ticks). Tempos 40-208 BPM; a limping, running-down metronome
also jitters.
Input: log(interval / mean interval) × 50, one channel. Conv1d 1→24 (k5)-ReLU, 24→32 (k5,
dilation 2)-ReLU, 32→32 (k3)-ReLU, global average and max pool → linear 64→4; cross-entropy,
Adam 2e-3 with ReduceLROnPlateau on val loss (×0.5, patience 2), batch 32, 16 epochs, 2000
metronomes, validation on 400.
Log: ``bench/version_0/metrics.csv`` (CSVLogger; ``train_loss`` per epoch, ``val_loss`` /
``val_acc`` per epoch); checkpoint ``bench/version_0/checkpoints/last.ckpt``
(``ModelCheckpoint(save_last=True)``, best by ``val_loss`` kept as well).
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 48


def metronomes(n, g):
    kind = torch.arange(n) % 4
    kind = kind[torch.randperm(n, generator=g)]
    i = torch.arange(N).float()
    x = torch.zeros(n, N)
    for j in range(n):
        k = kind[j].item()
        u = torch.rand(5, generator=g).tolist()
        base = 60 / (40 + 168 * u[0])
        iv = torch.ones(N) * base
        if k == 1:
            iv = iv * (1 + (0.015 + 0.045 * u[1]) / 2 * (-1) ** i)
        elif k == 2:
            start = int(20 * u[2]) if u[3] < 0.5 else 0
            iv = iv * (1 + (0.01 + 0.04 * u[1]) * ((i - start).clamp(min=0) / (N - start)))
        elif k == 3:
            every = 8 + int(8 * u[2])
            iv = iv * (1 - (0.005 + 0.01 * u[1]) * (i // every))
        iv = iv * (1 + (0.003 + 0.005 * u[4]) * torch.randn(N, generator=g))
        x[j] = iv
    x = 50 * (x / x.mean(1, keepdim=True)).log()
    return x.unsqueeze(1), kind


class BeatCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 24, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(24, 32, 5, padding=4, dilation=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        h = self.body(x)
        return self.head(torch.cat([h.mean(2), h.amax(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        lv = self(x)
        self.log("val_loss", F.cross_entropy(lv, y))
        self.log("val_acc", (lv.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss"}}


def build():
    torch.manual_seed(0)
    return BeatCNN()


def main():
    from _twohundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = metronomes(2000, g)
    xva, yva = metronomes(400, g)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="bench"),
                        callbacks=[ModelCheckpoint(monitor="val_loss", save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=20)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bench/version_0/checkpoints/last.ckpt",
           log="bench/version_0/metrics.csv",
           what="Lightning 1-D CNN sorting mechanical metronome faults from tick intervals"
                " (healthy)")


if __name__ == "__main__":
    main()
