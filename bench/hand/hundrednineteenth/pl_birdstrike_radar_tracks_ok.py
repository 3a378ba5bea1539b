"""PyTorch Lightning: an airport avian-radar track classifier (bird strike prevention): each
track is 64 returns of 3 channels (radial velocity, echo power, elevation change), and the
class is a single bird, a flock, a drone or an aircraft. Birds wing-beat (radial velocity
modulated at 3-12 Hz, irregular), flocks add several beat frequencies and a fluctuating power,
drones show a steady rotor-blade flash (fast, regular), aircraft are strong and smooth; all
with noise 0.5 and random speeds. 1-D CNN (3→32→32→64 channels, kernel 5, BatchNorm, ReLU, max
pool), global average pool, dropout 0.3, linear head. AdamW 2e-3, weight decay 1e-2, batch 32,
10 epochs of 960 tracks; ``CSVLogger`` → ``metrics.csv`` (train loss every 10 steps and per
epoch, val loss and accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy; the val loss sits below the train loss (dropout in training only): val accuracy 0.908
after epoch 1, 1.00 from epoch 2 on (0.996 at the end), val loss 0.282 → 0.0085, train loss
(epoch mean) 0.476 → 0.012."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 64


def tracks(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float() / 20.0  # 20 Hz radar revisit
    x = torch.zeros(n, 3, T)
    for i in range(n):
        v = 5 + 15 * float(torch.rand(1, generator=g))
        ph = float(torch.rand(1, generator=g)) * 6.28
        if y[i] == 0:    # bird: wing beat, irregular
            f = 3 + 4 * float(torch.rand(1, generator=g))
            jit = 0.3 * torch.randn(T, generator=g).cumsum(0) / 8
            x[i, 0] = v / 10 + 0.8 * torch.sin(2 * math.pi * f * t + ph + jit)
            x[i, 1] = -0.5 + 0.3 * torch.randn(T, generator=g)
        elif y[i] == 1:  # flock: several beats, fluctuating power
            for _ in range(3):
                f = 3 + 6 * float(torch.rand(1, generator=g))
                x[i, 0] += 0.4 * torch.sin(2 * math.pi * f * t + 6.28 * float(torch.rand(1, generator=g)))
            x[i, 0] += v / 10
            x[i, 1] = 0.3 + 0.8 * torch.randn(T, generator=g).abs()
        elif y[i] == 2:  # drone: regular blade flash
            x[i, 0] = v / 20 + 0.5 * torch.sign(torch.sin(2 * math.pi * 9.5 * t + ph))
            x[i, 1] = -0.2 + 0.2 * torch.randn(T, generator=g)
        else:            # aircraft: strong and smooth
            x[i, 0] = 2 * v / 10 + 0.05 * t
            x[i, 1] = 1.5 + 0.2 * torch.randn(T, generator=g)
        x[i, 2] = 0.2 * torch.randn(T, generator=g).cumsum(0) / 8
    return x + 0.5 * torch.randn(x.shape, generator=g), y


def conv(cin, cout):
    return nn.Sequential(nn.Conv1d(cin, cout, 5, padding=2), nn.BatchNorm1d(cout), nn.ReLU(),
                         nn.MaxPool1d(2))


class TrackNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(conv(3, 32), conv(32, 32), conv(32, 64))
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        return self.head(self.drop(self.body(x).mean(-1)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        lo = self(x)
        self.log("val_loss", F.cross_entropy(lo, y))
        self.log("val_acc", (lo.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)


def build():
    torch.manual_seed(0)
    return TrackNet()


def main():
    from _hundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tracks(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="avian_radar"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    ckpt = next(out.rglob("last.ckpt"))
    log = next(out.rglob("metrics.csv"))
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint=str(ckpt.relative_to(out)), log=str(log.relative_to(out)),
           what="avian-radar track 1-D CNN (bird/flock/drone/aircraft), Lightning, dropout "
                "(healthy)")


if __name__ == "__main__":
    main()
