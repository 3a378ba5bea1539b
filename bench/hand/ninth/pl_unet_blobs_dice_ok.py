"""Lightning: segmenting cells in 32x32 grey microscope crops (1-4 bright ellipses of random
size on a noisy, unevenly lit background; ~15 % of the pixels are foreground) with a small U-Net
(two down / up levels, 8-16-32 channels, BatchNorm, skip connections, one output logit per
pixel). Loss: ``BCEWithLogits + (1 - soft Dice)`` per batch. AdamW 3e-3, batch 16, 7 epochs (600
crops); CSVLogger (train loss per 10 steps and per epoch, val loss / Dice / IoU per epoch) and
ModelCheckpoint(save_last). Healthy: val IoU 0.94."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def cells(n, g, size=32):
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    img = torch.zeros(n, 1, size, size)
    mask = torch.zeros(n, 1, size, size)
    for i in range(n):
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            cy, cx = (torch.rand(2, generator=g) * size).tolist()
            ry, rx = (2 + 4 * torch.rand(2, generator=g)).tolist()
            inside = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
            mask[i, 0][inside] = 1
        light = torch.linspace(-0.5, 0.5, size) * torch.randn(1, generator=g)
        img[i, 0] = mask[i, 0] * 1.0 + light[None, :] + 0.4 * torch.randn(size, size, generator=g)
    return img, mask


def block(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU())


def soft_dice(logits, mask, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * mask).sum()
    return (2 * inter + eps) / (p.sum() + mask.sum() + eps)


class UNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.d1, self.d2, self.mid = block(1, 8), block(8, 16), block(16, 32)
        self.u2, self.c2 = nn.ConvTranspose2d(32, 16, 2, stride=2), block(32, 16)
        self.u1, self.c1 = nn.ConvTranspose2d(16, 8, 2, stride=2), block(16, 8)
        self.out = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        a = self.d1(x)
        b = self.d2(F.max_pool2d(a, 2))
        m = self.mid(F.max_pool2d(b, 2))
        b = self.c2(torch.cat([self.u2(m), b], 1))
        return self.out(self.c1(torch.cat([self.u1(b), a], 1)))

    def loss(self, logits, mask):
        return F.binary_cross_entropy_with_logits(logits, mask) + 1 - soft_dice(logits, mask)

    def training_step(self, batch, batch_idx):
        loss = self.loss(self(batch[0]), batch[1])
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, mask = batch
        logits = self(x)
        pred = (logits > 0).float()
        inter, union = (pred * mask).sum(), ((pred + mask) > 0).float().sum()
        self.log("val_loss", self.loss(logits, mask))
        self.log("val_dice", soft_dice(logits, mask))
        self.log("val_iou", inter / union.clamp(min=1))

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return UNet()


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, m = cells(600, g)
    vx, vm = cells(160, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=7, logger=CSVLogger(str(out), name="unet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), DataLoader(TensorDataset(x, m), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(vx, vm), batch_size=160))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:32], vm[:32]), causes=[],
           checkpoint="unet/version_0/checkpoints/last.ckpt", log="unet/version_0/metrics.csv",
           what="Lightning U-Net, BCE + soft Dice (healthy)")


if __name__ == "__main__":
    main()
