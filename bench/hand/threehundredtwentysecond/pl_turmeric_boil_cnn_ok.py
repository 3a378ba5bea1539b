"""PyTorch Lightning: a 1-D CNN with batch norm reads the logger trace of a turmeric
boiling pan (core temperature of a probe rhizome, pan water temperature and the steam
vent's humidity, every 20 s for 40 minutes, 120 readings) and says whether the lot came
out under-cured (core never held above 95 °C long enough: hard, uneven colour), properly
cured (core held 95-100 °C for 8-18 min) or over-cooked (held too long: soft, colour
bleeds). The core lags the water with a first-order time constant that grows with
rhizome thickness; the lid is lifted for stirring at random times (a dip in humidity and
water temperature); thickness is not logged.
Input: (3, 120) (°C - 70) / 25, (°C - 70) / 25, (% RH - 60) / 30. Classes 0/1/2.
Conv1d 3→16 (k7) BN ReLU pool2 → 16→32 (k5) BN ReLU pool2 → 32→32 (k3) BN ReLU → global
mean → linear 32→3; cross-entropy, SGD momentum 0.9 lr 0.05, nesterov, with
``OneCycleLR`` per step (``interval="step"``), batch 64, 10 epochs, 1500 boils, validation
on 400 (val loss, val accuracy). Healthy; numbers in the README.
Log: CSVLogger ``boilpan/version_0/metrics.csv`` (``ce_step`` every 5 steps, ``lr-SGD``,
``ce_epoch`` / ``val_ce`` / ``val_acc`` per epoch); checkpoint
``ModelCheckpoint(save_last=True, monitor="val_acc", mode="max")`` →
``boilpan/version_0/checkpoints/last.ckpt`` plus the best epoch."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 120
DT = 20 / 60  # minutes between readings


def boils(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() * DT
    heat = 5 + 7 * r(n, 1)  # °C per minute until the boil
    water = torch.minimum(25 + heat * t, torch.full((n, N), 100.0))
    off = 18 + 22 * r(n, 1)  # minute the pan is taken off
    water = torch.where(t > off, water - 3.0 * (t - off), water)
    lift = torch.rand(n, 1, generator=g) * 40
    dip = torch.exp(-((t - lift) / 0.8) ** 2)
    water = water - 6 * dip
    tau = 2 + 6 * r(n, 1)  # thickness → lag
    core = torch.zeros(n, N)
    c = torch.full((n,), 25.0)
    for k in range(N):
        c = c + (water[:, k] - c) * DT / tau[:, 0]
        core[:, k] = c
    held = ((core >= 95).float() * DT).sum(1)
    y = torch.where(held < 8, 0, torch.where(held <= 18, 1, 2))
    rh = 30 + 0.6 * (water - 40).clamp(min=0) - 25 * dip + 2 * torch.randn(n, N, generator=g)
    water = water + 0.5 * torch.randn(n, N, generator=g)
    core = core + 0.5 * torch.randn(n, N, generator=g)
    x = torch.stack([(core - 70) / 25, (water - 70) / 25, (rh - 60) / 30], 1)
    return x, y


class BoilCNN(L.LightningModule):
    def __init__(self, steps_per_epoch=24, epochs=10):
        super().__init__()
        self.save_hyperparameters()
        blk = lambda i, o, k: [nn.Conv1d(i, o, k, padding=k // 2), nn.BatchNorm1d(o), nn.ReLU()]  # noqa: E731
        self.net = nn.Sequential(*blk(3, 16, 7), nn.MaxPool1d(2), *blk(16, 32, 5), nn.MaxPool1d(2),
                                 *blk(32, 32, 3))
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.net(x).mean(-1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9, nesterov=True)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=0.05, epochs=self.hparams.epochs, steps_per_epoch=self.hparams.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return BoilCNN()


def main():
    from _threehundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = boils(1500, g)
    xva, yva = boils(400, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="boilpan"),
                        callbacks=[ModelCheckpoint(save_last=True, monitor="val_acc", mode="max"),
                                   LearningRateMonitor("step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="boilpan/version_0/checkpoints/last.ckpt",
           log="boilpan/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm grading turmeric boiling-pan traces as"
                " under-cured / cured / over-cooked (healthy)")


if __name__ == "__main__":
    main()
