"""PyTorch Lightning: an Xception-lite classifier on synthetic 32×32 colour images, 4 texture
classes (horizontal stripes, vertical stripes, a checkerboard, a dot lattice; random period
4–8 px, phase, tint and contrast 0.4–1.0, pixel noise σ 0.6), 5 % of the labels wrong. Entry
flow: conv 3×3 → 16 (BN, ReLU), then two residual blocks of depthwise-separable convolutions
(sepconv, BN, ReLU, sepconv, BN, 3×3 max-pool stride 2, a 1×1 stride-2 conv + BN shortcut) to
16×16 × 24 and 8×8 × 32; middle flow: 2 residual blocks of 3 × (ReLU, sepconv, BN) at 32;
exit flow: a residual sepconv block to 4×4 × 48, sepconv 64 + BN + ReLU, global average
pooling, dropout 0.2 and a linear head. Adam 2e-3, batch 64, 3 epochs over 960 images (240 for
validation), ``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``.
Healthy: the noisy textures make the start slow (validation accuracy 0.25 after epoch 1, 0.66
after epoch 2, with a val loss 0.89 above the train loss 0.33), then 0.95 (the wrong labels
cap it near 0.95) with the val loss 0.22 just under the epoch train loss 0.28."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

C = 4


def textures(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    r = torch.arange(32).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    period = 4 + 4 * torch.rand(n, 1, 1, generator=g)
    phase = 2 * torch.pi * torch.rand(n, 2, 1, 1, generator=g)
    sy = torch.sin(2 * torch.pi * yy / period + phase[:, 0])
    sx = torch.sin(2 * torch.pi * xx / period + phase[:, 1])
    pats = torch.stack([sy, sx, torch.sign(sy * sx), ((sy > 0.7) & (sx > 0.7)).float() * 2 - 1],
                       1)
    pat = pats[torch.arange(n), y]
    amp = 0.4 + 0.6 * torch.rand(n, 1, 1, 1, generator=g)
    tint = 0.5 + torch.rand(n, 3, 1, 1, generator=g)
    img = amp * tint * pat[:, None] + 0.6 * torch.randn(n, 3, 32, 32, generator=g)
    wrong = torch.rand(n, generator=g) < 0.05
    y = torch.where(wrong, (y + torch.randint(1, C, (n,), generator=g)) % C, y)
    return img, y


class SepConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False),
                         nn.Conv2d(cin, cout, 1, bias=False))


class DownBlock(nn.Module):
    def __init__(self, cin, cout, first_relu=True):
        super().__init__()
        self.body = nn.Sequential(nn.ReLU() if first_relu else nn.Identity(), SepConv(cin, cout),
                                  nn.BatchNorm2d(cout), nn.ReLU(), SepConv(cout, cout),
                                  nn.BatchNorm2d(cout), nn.MaxPool2d(3, 2, 1))
        self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, 2, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.short(x) + self.body(x)


class MiddleBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(*[m for _ in range(3)
                                    for m in (nn.ReLU(), SepConv(c, c), nn.BatchNorm2d(c))])

    def forward(self, x):
        return x + self.body(x)


class XceptionLite(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.entry = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
                                   nn.ReLU(), DownBlock(16, 24, first_relu=False),
                                   DownBlock(24, 32))
        self.middle = nn.Sequential(MiddleBlock(32), MiddleBlock(32))
        self.exit = nn.Sequential(DownBlock(32, 48), SepConv(48, 64), nn.BatchNorm2d(64),
                                  nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                  nn.Dropout(0.2), nn.Linear(64, C))

    def forward(self, x):
        return self.exit(self.middle(self.entry(x)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return XceptionLite()


def main():
    from _sixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = textures(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=3, logger=CSVLogger(str(out), name="textures"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint="textures/version_0/checkpoints/last.ckpt",
           log="textures/version_0/metrics.csv",
           what="Lightning Xception-lite texture classifier, 5 % wrong labels (healthy)")


if __name__ == "__main__":
    main()
