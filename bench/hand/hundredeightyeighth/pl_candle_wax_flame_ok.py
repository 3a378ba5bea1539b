"""PyTorch Lightning: a 1-D CNN tells which wax a candle maker's test candle is poured from
(paraffin, soy, beeswax, palm) from 96 readings of its flame during a burn: flame height,
flicker photodiode and wick-base temperature (3 channels, standardised). Each wax burns with
its own flame height and flicker rhythm (and palm crackles: short spikes); draughts in the
test room add slow drifts and noise, and the rack starts logging at a random point of the burn.
Conv1d(3→16, k5)-ReLU-pool, Conv1d(16→32, k5)-ReLU-pool, Conv1d(32→32, k3)-ReLU, global average
pool, dropout 0.2, Linear(32→4); SGD momentum 0.9, lr 0.03, ``StepLR`` halving every 4 epochs
(returned by ``configure_optimizers``), batch 32, 10 epochs of 1024 burns. ``CSVLogger`` →
``metrics.csv`` (train loss every 8 steps, val loss / accuracy per epoch),
``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy: a slow start (val accuracy 0.54 and 0.57 after the first two epochs, val loss 1.12 and
1.00), then it takes off: 0.71, 0.95, 0.95, 0.96, 0.98, 0.98, 0.98, 0.98 at epoch 10, val
loss 0.076 at the end (0.048 at epoch 8, a little up and down once the LR has halved twice)."""
import sys

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 96
HEIGHT = [1.0, 0.7, 0.9, 0.6]
FLICKER = [6.0, 3.0, 9.0, 4.5]


def burns(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float() / T
    h = torch.tensor(HEIGHT)[y][:, None] + 0.15 * torch.randn(n, 1, generator=g)
    drift = 0.2 * torch.randn(n, 1, generator=g) * torch.sin(
        2 * torch.pi * t + 6 * torch.rand(n, 1, generator=g))
    height = h + drift + 0.08 * torch.randn(n, T, generator=g)
    fr = torch.tensor(FLICKER)[y][:, None] * (1 + 0.1 * torch.randn(n, 1, generator=g))
    flick = 0.5 * torch.sin(2 * torch.pi * fr * t + 6 * torch.rand(n, 1, generator=g)) \
        + 0.2 * torch.randn(n, T, generator=g)
    spikes = (torch.rand(n, T, generator=g) < 0.05).float() * (y == 3).float()[:, None]
    flick = flick + 1.5 * spikes
    temp = 0.5 * h + 0.3 * torch.randn(n, 1, generator=g) + 0.1 * torch.randn(n, T, generator=g)
    x = torch.stack([height, flick, temp], 1)
    return (x - x.mean((0, 2), keepdim=True)) / x.std((0, 2), keepdim=True), y


class WaxNet(L.LightningModule):
    def __init__(self, lr=0.03):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        return self.out(self.drop(self.body(x).mean(2)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)}


def build():
    torch.manual_seed(0)
    return WaxNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = burns(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="wax"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="wax/version_0/checkpoints/last.ckpt",
           log="wax/version_0/metrics.csv",
           what="Lightning 1-D CNN telling candle wax from flame traces, SGD + StepLR (healthy)")


if __name__ == "__main__":
    main()
