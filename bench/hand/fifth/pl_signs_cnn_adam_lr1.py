"""Lightning: a small CNN (no BatchNorm) classifies 24x24 "road sign" crops into circle /
triangle / square / cross, images scaled to [0, 1] and centred. The LightningModule's
default ``lr=1.0`` was left from an SGD example when the optimizer was switched to Adam
(bug: Adam at lr 1 — updates of ~1 per weight each step; the loss jumps to hundreds and the
net ends predicting one class). CSVLogger + ModelCheckpoint."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 24


def signs(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    c = 8 + 8 * torch.rand(n, 2, generator=g)
    r = 4 + 4 * torch.rand(n, generator=g)
    dy, dx = (yy - c[:, 0, None, None]), (xx - c[:, 1, None, None])
    r_ = r[:, None, None]
    circle = (dy ** 2 + dx ** 2 < r_ ** 2)
    square = (dy.abs() < r_) & (dx.abs() < r_)
    triangle = (dy < r_) & (dy > -r_) & (dx.abs() < (dy + r_) / 2)
    cross = ((dy.abs() < r_ / 3) & (dx.abs() < r_)) | ((dx.abs() < r_ / 3) & (dy.abs() < r_))
    mask = torch.stack([circle, triangle, square, cross], 1)[torch.arange(n), y].float()
    colour = 0.6 + 0.4 * torch.rand(n, 3, 1, 1, generator=g)
    img = 0.3 * torch.rand(n, 3, 1, 1, generator=g) * (1 - mask[:, None]) + colour * mask[:, None]
    img = img + 0.1 * torch.randn(n, 3, S, S, generator=g)
    return img.clamp(0, 1) - 0.5, y


class SignNet(L.LightningModule):
    def __init__(self, lr=1.0):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(32, 4)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)  # BUG: lr 1.0


def build():
    torch.manual_seed(0)
    return SignNet()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = signs(2000, g), signs(500, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="signs"),
                        log_every_n_steps=10,
                        callbacks=[ModelCheckpoint(monitor="val_acc", mode="max",
                                                   save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=500))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_high"],
           checkpoint="signs/version_0/checkpoints/last.ckpt",
           log="signs/version_0/metrics.csv",
           what="Adam with lr 1.0 (left over from an SGD example) on a small CNN",
           complaint="loss shot up to 1000 in the first epoch and val_acc is stuck at 0.24")


if __name__ == "__main__":
    main()
