"""Lightning: a density-map counter for microscope beads (the frames of
counter_beads_raw_pixels: 32x32, 8-bit, 0-30 Gaussian beads on an uneven background), scaled
to [0, 1] and standardised with the training set's mean and std; a fully convolutional net
1-16-32-32-1 predicts a density map (target: a unit Gaussian per bead times 100). Random
horizontal / vertical flips in training, MSE, SGD lr 0.01 momentum 0.9 with
``CosineAnnealingLR`` per epoch (``configure_optimizers`` returns the dict), batch 16, 8
epochs, ``CSVLogger`` + ``LearningRateMonitor`` + ``ModelCheckpoint(save_last=True)``; the val
count MAE is logged. Healthy: val MAE ~1 bead of a mean count of 15, the per-step loss noisy at
batch 16 (beads per frame vary 0-30)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SIZE = 32


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    img = torch.zeros(n, 1, SIZE, SIZE)
    dens = torch.zeros(n, 1, SIZE, SIZE)
    counts = torch.randint(0, 31, (n,), generator=g)
    for i in range(n):
        c = torch.rand(int(counts[i]), 2, generator=g) * (SIZE - 4) + 2
        b = 0.5 + 0.5 * torch.rand(int(counts[i]), generator=g)
        for (cy, cx), br in zip(c, b, strict=True):
            g2 = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2.0)
            img[i, 0] += br * g2
            dens[i, 0] += g2 / g2.sum()
        img[i, 0] += 0.2 + 0.1 * torch.sin(xx / 7 + float(torch.rand(1, generator=g)) * 6)
    img = img + 0.05 * torch.randn(n, 1, SIZE, SIZE, generator=g)
    raw = (img.clamp(0, 1) * 255).round()
    return raw, 100 * dens, counts


class BeadCounter(L.LightningModule):
    def __init__(self, lr=0.01, epochs=8):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 1, 1), nn.ReLU())

    def forward(self, x):
        return self.body(x)

    def training_step(self, batch, batch_idx):
        x, d = batch
        if torch.rand(1).item() < 0.5:
            x, d = x.flip(3), d.flip(3)
        if torch.rand(1).item() < 0.5:
            x, d = x.flip(2), d.flip(2)
        loss = F.mse_loss(self(x), d)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, d = batch
        pred = self(x)
        self.log("val_loss", F.mse_loss(pred, d))
        self.log("val_count_mae", (pred.sum((1, 2, 3)) - d.sum((1, 2, 3))).abs().mean() / 100)

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return BeadCounter()


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw, dens, counts = frames(900, g)
    x = raw / 255
    x = (x - x[:700].mean()) / x[:700].std()
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(x[:700], dens[:700]), batch_size=16, shuffle=True)
    val = DataLoader(TensorDataset(x[700:], dens[700:]), batch_size=200)
    torch.manual_seed(0)
    model = BeadCounter()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="beads"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[700:732], dens[700:732]), causes=[],
           checkpoint="beads/version_0/checkpoints/last.ckpt", log="beads/version_0/metrics.csv",
           what="Lightning density-map bead counter, SGD + cosine per epoch, flips (healthy)")


if __name__ == "__main__":
    main()
