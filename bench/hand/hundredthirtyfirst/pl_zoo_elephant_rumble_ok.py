"""PyTorch Lightning: a small 2-D CNN tells which of the 4 elephants of a zoo herd made a
rumble, from 16-band × 32-frame log spectrograms (8-60 Hz) of rumbles picked up by the
enclosure's infrasound microphones. Each elephant has its own fundamental (12-19 Hz, close
between two of the cows), formant emphasis and a slow pitch glide; keeper noise, wind and
the ventilation hum are added, and 5 % of the caller labels are wrong (keepers attribute
rumbles by ear). Adam 1e-3 with a 60-step linear warm-up (``LambdaLR``, stepped per batch),
dropout 0.3, batch 32, 10 epochs; ``CSVLogger`` → metrics.csv, ``ModelCheckpoint(save_last)``
→ last.ckpt. Healthy: val loss 1.03 → 0.31 → 0.14 → 0.05-0.10, val accuracy 0.83 → 0.996
(one dip to 0.976 at epoch 6), train loss (epoch mean) 1.29 → 0.23 staying above the val loss
(label noise and dropout only in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

NB, NF = 16, 32
F0 = [12.0, 14.5, 15.5, 18.5]          # Hz; the two cows at 14.5 / 15.5 sound alike
FORMANT = [3, 9, 6, 12]                # band with the strongest emphasis


def rumbles(n, g, noisy=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    hz = torch.linspace(8, 60, NB)[None, :, None]
    t = torch.linspace(0, 1, NF)[None, None, :]
    f0 = torch.tensor(F0)[y][:, None, None] * (1 + 0.03 * torch.randn(n, 1, 1, generator=g))
    f0 = f0 * (1 + 0.08 * t * torch.randn(n, 1, 1, generator=g))
    spec = torch.zeros(n, NB, NF)
    for k in (1, 2, 3):
        spec += torch.exp(-((hz - k * f0) ** 2) / 8) / k
    form = torch.tensor(FORMANT)[y][:, None, None]
    spec *= 1 + torch.exp(-((torch.arange(NB)[None, :, None] - form) ** 2) / 4.0)
    env = torch.sin(3.14 * t) * (0.7 + 0.6 * torch.rand(n, 1, 1, generator=g))
    spec = spec * env + 0.3 * torch.exp(-((hz - 50) ** 2) / 4)
    spec = torch.log1p(10 * spec) + 0.25 * torch.randn(n, NB, NF, generator=g)
    flip = torch.rand(n, generator=g) < noisy
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ((spec - 0.6) / 0.6)[:, None], y


class RumbleNet(L.LightningModule):
    def __init__(self, lr=1e-3, warmup=60):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(32 * 4 * 8, 4))

    def forward(self, x):
        return self.head(self.conv(x))

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
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        warm = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, (s + 1) / self.hparams.warmup))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": warm, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return RumbleNet()


def main():
    from _hundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rumbles(960, g, noisy=0.05)
    xva, yva = rumbles(256, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="rumbles"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="rumbles/version_0/checkpoints/last.ckpt",
           log="rumbles/version_0/metrics.csv",
           what="Lightning CNN naming the caller of zoo elephant rumbles, warm-up, 5 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
