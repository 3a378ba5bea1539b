"""PyTorch Lightning: an FFDNet-lite denoiser for synthetic grey 32×32 micrographs (a smooth
illumination gradient, 4–12 round cells of random size and brightness with a darker nucleus, a
faint stripe texture from the sample holder), Gaussian noise of a level σ drawn per image from
U[0, 50]/255 in training, on a random 16×16 patch per batch (FFDNet trains on patches);
validation on whole images at the standard σ = 25/255. FFDNet's layout: the noisy image is
pixel-unshuffled into 4 half-resolution sub-images, a noise-level map (σ everywhere) is
concatenated, conv 5→32 + ReLU, four conv 32 + ReLU (no BatchNorm), conv 32→4, pixel shuffle
back; the network predicts the noise, the output is the noisy image minus it (residual
learning). MSE, Adam 2e-3 with a per-epoch cosine decay, batch 16, 16 epochs of 768 images;
``CSVLogger`` → ``metrics.csv`` (train loss per step and per epoch, val loss, val PSNR and the
noisy input's PSNR), ``ModelCheckpoint(save_last=True)``. Healthy: val PSNR 25.6 dB from 20.2 dB
noisy (the best Gaussian blur, σ 0.7 px, gives 24.7 dB); the per-step train loss is very noisy
(each batch has its own σ mix, and the MSE of a σ = 50 image is 100× that of a σ = 5 one) and
the train loss sits above the val loss (σ up to 50 in training, 25 in validation)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 32


def micrographs(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = 0.25 + 0.2 * (torch.rand(n, 1, 1, generator=g) * yy / S
                        + torch.rand(n, 1, 1, generator=g) * xx / S)
    img = img + 0.03 * torch.sin(xx * 0.9 + torch.rand(n, 1, 1, generator=g) * 6)
    for i in range(n):
        for _ in range(int(torch.randint(4, 13, (1,), generator=g))):
            cy, cx = (torch.rand(2, generator=g) * S).tolist()
            r = 2 + 3 * float(torch.rand(1, generator=g))
            d2 = (yy - cy) ** 2 + (xx - cx) ** 2
            b = 0.3 + 0.4 * float(torch.rand(1, generator=g))
            img[i] = torch.where(d2 < r * r, img[i] * 0.3 + b, img[i])
            img[i] = torch.where(d2 < (r * 0.4) ** 2, img[i] - 0.25, img[i])
    return img.clamp(0, 1)[:, None]


class FFDNetLite(L.LightningModule):
    def __init__(self, width=32, lr=2e-3, epochs=16):
        super().__init__()
        self.save_hyperparameters()
        layers = [nn.Conv2d(5, width, 3, padding=1), nn.ReLU()]
        for _ in range(4):
            layers += [nn.Conv2d(width, width, 3, padding=1), nn.ReLU()]
        layers.append(nn.Conv2d(width, 4, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, noisy, sigma):
        sub = F.pixel_unshuffle(noisy, 2)
        level = sigma.view(-1, 1, 1, 1).expand(-1, 1, *sub.shape[2:])
        noise = F.pixel_shuffle(self.body(torch.cat([sub, level], 1)), 2)
        return noisy - noise

    def training_step(self, batch, _):
        clean, = batch
        i, j = torch.randint(0, S - 16 + 1, (2,)).tolist()  # FFDNet trains on patches
        clean = clean[..., i:i + 16, j:j + 16]
        sigma = torch.rand(len(clean), device=clean.device) * 50 / 255
        noisy = clean + sigma.view(-1, 1, 1, 1) * torch.randn_like(clean)
        loss = F.mse_loss(self(noisy, sigma), clean)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        clean, noisy = batch
        sigma = torch.full((len(clean),), 25 / 255)
        mse = F.mse_loss(self(noisy, sigma).clamp(0, 1), clean)
        self.log("val_loss", mse)
        self.log("val_psnr", 10 * math.log10(1 / mse.item()))
        self.log("val_psnr_noisy", 10 * math.log10(1 / F.mse_loss(noisy, clean).item()))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, self.hparams.epochs)]


def build():
    torch.manual_seed(0)
    return FFDNetLite()


def main():
    from _eightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    clean = micrographs(960, g)
    ctr, cva = clean[:768], clean[768:]
    nva = cva + 25 / 255 * torch.randn(cva.shape, generator=g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(ctr), batch_size=16, shuffle=True)
    val = torch.utils.data.DataLoader(ds(cva, nva), batch_size=192)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="ffdnet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (nva[:32], cva[:32]), causes=[],
           checkpoint="ffdnet/version_0/checkpoints/last.ckpt", log="ffdnet/version_0/metrics.csv",
           what="Lightning FFDNet-lite denoiser on micrographs, σ 0–50 (healthy)")


if __name__ == "__main__":
    main()
