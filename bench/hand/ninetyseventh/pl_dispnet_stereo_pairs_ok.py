"""DispNet-lite stereo disparity regressor on synthetic rectified pairs: a random smooth
texture (32x48) as the left image, the right image the left one shifted left by a disparity
that varies across the image (a fronto-parallel plane per image, 1–6 px), plus sensor noise.
Encoder on the concatenated pair (3 stride-2 convs), decoder with two transposed convs and a
skip, predicting the disparity map at full resolution; L1 loss (end-point error). Adam 1e-3,
batch 32, 8 epochs with a Lightning ``Trainer``; ``CSVLogger`` → ``metrics.csv`` (train EPE
every 5 steps and per epoch, val EPE per epoch), ``ModelCheckpoint(save_last=True)``."""

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

H, W = 32, 48


def pairs(n, g):
    tex = F.avg_pool2d(torch.randn(n, 1, H, W + 8, generator=g), 3, 1, 1)
    tex = tex / tex.std((2, 3), keepdim=True)
    a = 1 + 3 * torch.rand(n, 1, 1, generator=g)
    b = 1.5 * torch.rand(n, 1, 1, generator=g)
    disp = (a + b * torch.linspace(0, 1, W)[None, None]).expand(n, H, W)
    xs = torch.arange(W).float()[None, None] + disp
    gx = xs / (W + 7) * 2 - 1
    gy = torch.linspace(-1, 1, H)[None, :, None].expand(n, H, W)
    right = F.grid_sample(tex, torch.stack([gx, gy], -1), align_corners=True)
    left = tex[..., :W]
    x = torch.cat([left, right], 1) + 0.05 * torch.randn(n, 2, H, W, generator=g)
    return x, disp[:, None].contiguous()


class DispNetLite(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.e1 = nn.Conv2d(2, 32, 3, 2, 1)
        self.e2 = nn.Conv2d(32, 64, 3, 2, 1)
        self.e3 = nn.Conv2d(64, 64, 3, 1, 1)
        self.d1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.d2 = nn.ConvTranspose2d(64, 16, 4, 2, 1)
        self.out = nn.Conv2d(16, 1, 3, 1, 1)

    def forward(self, x):
        h1 = F.relu(self.e1(x))
        h = F.relu(self.e3(F.relu(self.e2(h1))))
        h = F.relu(self.d1(h))
        h = F.relu(self.d2(torch.cat([h, h1], 1)))
        return self.out(h)

    def training_step(self, batch, _):
        x, d = batch
        loss = F.l1_loss(self(x), d)
        self.log("train_epe", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, d = batch
        self.log("val_epe", F.l1_loss(self(x), d))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return DispNetLite()


def main():
    from _ninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, d = pairs(740, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:640], d[:640]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[640:], d[640:]), batch_size=100)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="dispnet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[640:672], d[640:672]), causes=[],
           checkpoint="dispnet/version_0/checkpoints/last.ckpt",
           log="dispnet/version_0/metrics.csv",
           what="Lightning DispNet-lite stereo disparity regressor, healthy", complaint="")


if __name__ == "__main__":
    main()
