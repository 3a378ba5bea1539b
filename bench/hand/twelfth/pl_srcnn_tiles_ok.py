"""Lightning: residual SRCNN-style 2x super-resolution of greyscale floor-plan tiles (the same
tiles and degradation as srcnn_tiles_adam_lr3e2: 32x32, shrunk to 16x16 and blown up with
bilinear interpolation; three convs 5x5 -> 32, 3x3 -> 16, 3x3 -> 1 predict the residual),
a random flip / 90-degree turn of each training pair, MSE, Adam 2e-3 with a 60-step linear
warm-up then cosine to 0 (``LambdaLR`` per step, ``configure_optimizers`` returns the dict
with ``"interval": "step"``), batch 32, 12 epochs, ``CSVLogger`` + ``LearningRateMonitor`` +
``ModelCheckpoint(save_last=True)``; val PSNR logged next to the bilinear baseline's.
Healthy: val PSNR 17.09 -> 18.68 dB (bilinear 17.06); the gain looks small in dB, it is 31 % less
squared error than the bilinear input, and the curve flattens as the lr goes to 0."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 32


def tiles(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = 0.55 + 0.25 * torch.rand(n, 1, 1, generator=g) * torch.ones(n, S, S)
    for _ in range(4):
        x0, y0 = torch.randint(0, S - 6, (2, n, 1, 1), generator=g)
        w, h = torch.randint(5, 16, (2, n, 1, 1), generator=g)
        shade = torch.rand(n, 1, 1, generator=g)
        room = (xx >= x0) & (xx < x0 + w) & (yy >= y0) & (yy < y0 + h)
        img = torch.where(room, shade, img)
        wall = room & ((xx == x0) | (xx == x0 + w - 1) | (yy == y0) | (yy == y0 + h - 1))
        img = torch.where(wall, 0.05, img)
    c = torch.randint(4, S - 4, (2, n, 1, 1), generator=g)
    img = torch.where((xx - c[0]) ** 2 + (yy - c[1]) ** 2 < 5, 0.15, img)
    img = img + 0.03 * torch.randn(n, S, S, generator=g)
    return (img.clamp(0, 1) * 255).round().to(torch.uint8)[:, None]


def degrade(hr):
    return F.interpolate(F.avg_pool2d(hr, 2), scale_factor=2, mode="bilinear",
                         align_corners=False)


class SRNet(L.LightningModule):
    def __init__(self, lr=2e-3, warmup=60, total_steps=300):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 1, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        k = int(torch.randint(0, 4, (1,)))
        x, y = torch.rot90(x, k, (2, 3)), torch.rot90(y, k, (2, 3))
        if torch.rand(1).item() < 0.5:
            x, y = x.flip(3), y.flip(3)
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        mse = F.mse_loss(self(x), y)
        self.log("val_mse", mse)
        self.log("val_psnr", 10 * torch.log10(1 / mse))
        self.log("bilinear_psnr", 10 * torch.log10(1 / F.mse_loss(x, y)))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        w, total = self.hparams.warmup, self.hparams.total_steps

        def factor(step):
            if step < w:
                return (step + 1) / w
            return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - w) / (total - w))))
        sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return SRNet()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    hr = tiles(1000, g).float() / 255
    lr_in = degrade(hr)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(lr_in[:800], hr[:800]), batch_size=32, shuffle=True)
    torch.manual_seed(0)
    model = SRNet(total_steps=12 * len(train))
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="sr"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, train, DataLoader(TensorDataset(lr_in[800:], hr[800:]), batch_size=200))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (lr_in[800:832], hr[800:832]), causes=[],
           checkpoint="sr/version_0/checkpoints/last.ckpt", log="sr/version_0/metrics.csv",
           what="Lightning residual SRCNN, warm-up + cosine per step, PSNR logged (healthy)")


if __name__ == "__main__":
    main()
