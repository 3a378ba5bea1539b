"""Lightning: air-quality class (good / moderate / unhealthy) from 6 sensor channels (PM2.5,
PM10, NO2, O3, CO, humidity), an MLP with dropout, AdamW 3e-3, standardised with the training
statistics. Training data are from station A; the validation data come from station B, whose
PM and NO2 sensors were installed later with a different calibration (bug: train/val
distribution shift -- train accuracy 0.92, val loss 3.5 after the first epoch and rising to 6,
val accuracy ~0.36, i.e. chance). CSVLogger + ModelCheckpoint."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def station(n, g, gain=1.0, offset=0.0):
    pollution = torch.rand(n, generator=g) * 3
    y = pollution.long().clamp(max=2)
    pm25 = 12 + 25 * pollution + 4 * torch.randn(n, generator=g)
    pm10 = 1.6 * pm25 + 6 * torch.randn(n, generator=g)
    no2 = 15 + 12 * pollution + 5 * torch.randn(n, generator=g)
    o3 = 40 - 5 * pollution + 8 * torch.randn(n, generator=g)
    co = 0.3 + 0.25 * pollution + 0.1 * torch.randn(n, generator=g)
    hum = 55 + 15 * torch.randn(n, generator=g)
    x = torch.stack([pm25, pm10, no2, o3, co, hum], 1)
    x[:, :3] = x[:, :3] * gain + offset  # the sensors of a later install read differently
    return x, y


class AirNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_epoch=True, on_step=False)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True,
                 on_step=False)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return AirNet()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = station(3000, g)  # station A
    vx, vy = station(800, g, gain=1.6, offset=15.0)  # BUG: station B only in validation
    mean, std = x.mean(0), x.std(0)
    x, vx = (x - mean) / std, (vx - mean) / std
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="air"),
                        callbacks=[ModelCheckpoint(monitor="val_loss", save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=800))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:256], vy[:256]), causes=["distribution_shift"],
           checkpoint="air/version_0/checkpoints/last.ckpt", log="air/version_0/metrics.csv",
           what="validation from a second station whose PM/NO2 sensors are calibrated differently",
           complaint="train acc 92% but val acc 36% and val_loss is huge from the very first epoch")


if __name__ == "__main__":
    main()
