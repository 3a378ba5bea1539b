"""PyTorch Lightning: a small ShuffleNet-style classifier on synthetic 32×32 RGB images of 5 shape
classes (disc, square, triangle, cross, ring) at a random position, size and colour over a random
colour-gradient background with pixel noise σ 0.25 (the shape 0.4–0.7 brighter than the background
in each channel); 5 % of the training labels are wrong (a sloppy labelling pass; the validation
labels are clean). Stem 3×3 conv to 24 channels, stride 2; three ShuffleNet units (bottleneck of
half the unit's width: grouped 1×1 conv, groups 3 → BN → ReLU → channel shuffle → depthwise 3×3 →
BN → grouped 1×1 → BN, residual add, or concat with an avg-pooled shortcut where the unit has
stride 2: 24 → 48 → 96 channels), global average pool, dropout 0.2, linear head. Adam 5e-3 with
cosine annealing over the 10 epochs (stepped per epoch, as Lightning does by default), batch 64,
2400 training and 500 validation images; ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy: val accuracy climbs to ~0.9 and the val loss settles
below the train loss, which the 5 % wrong training labels hold up."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, CLASSES, GROUPS = 32, 5, 3


def shapes(n, g, flip=0.0):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    r = torch.arange(S).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cx = 9 + 14 * torch.rand(n, generator=g)
    cy = 9 + 14 * torch.rand(n, generator=g)
    rad = 5 + 4 * torch.rand(n, generator=g)
    dx, dy = xx[None] - cx[:, None, None], yy[None] - cy[:, None, None]
    rr = rad[:, None, None]
    disc = dx.pow(2) + dy.pow(2) <= rr.pow(2)
    square = (dx.abs() <= rr * 0.85) & (dy.abs() <= rr * 0.85)
    tri = (dy <= rr * 0.8) & (dy >= -rr * 0.8) & (dx.abs() <= (dy + rr * 0.8) * 0.6)
    cross = ((dx.abs() <= rr * 0.3) | (dy.abs() <= rr * 0.3)) & (dx.abs() <= rr) & (dy.abs() <= rr)
    ring = (dx.pow(2) + dy.pow(2) <= rr.pow(2)) & (dx.pow(2) + dy.pow(2) >= (0.55 * rr).pow(2))
    masks = torch.stack([disc, square, tri, cross, ring], 1)[torch.arange(n), y].float()
    bg = torch.rand(n, 3, 1, 1, generator=g) * 0.5
    grad = (torch.rand(n, 3, 1, 1, generator=g) - 0.5) * (xx / S)[None, None]
    colour = bg + (0.4 + 0.3 * torch.rand(n, 3, 1, 1, generator=g))
    x = bg + grad + masks[:, None] * (colour - bg)
    x = x + 0.25 * torch.randn(n, 3, S, S, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return (x - 0.45) / 0.35, y


def channel_shuffle(x, groups):
    b, c, h, w = x.shape
    return x.view(b, groups, c // groups, h, w).transpose(1, 2).reshape(b, c, h, w)


class ShuffleUnit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        branch = cout - cin if stride == 2 else cout
        mid = branch // 2 // GROUPS * GROUPS
        self.g1 = nn.Sequential(nn.Conv2d(cin, mid, 1, groups=GROUPS, bias=False),
                                nn.BatchNorm2d(mid), nn.ReLU())
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False),
                                nn.BatchNorm2d(mid))
        self.g2 = nn.Sequential(nn.Conv2d(mid, branch, 1, groups=GROUPS, bias=False),
                                nn.BatchNorm2d(branch))

    def forward(self, x):
        h = self.g2(self.dw(channel_shuffle(self.g1(x), GROUPS)))
        if self.stride == 2:
            return F.relu(torch.cat([F.avg_pool2d(x, 3, 2, 1), h], 1))
        return F.relu(x + h)


class ShuffleNetLite(L.LightningModule):
    def __init__(self, lr=5e-3, epochs=10):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24),
                                  nn.ReLU())
        self.units = nn.Sequential(ShuffleUnit(24, 48, 2), ShuffleUnit(48, 48, 1),
                                   ShuffleUnit(48, 96, 2))
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(96, CLASSES)

    def forward(self, x):
        return self.fc(self.drop(self.units(self.stem(x)).mean((2, 3))))

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True,
                 on_step=False)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(
            opt, T_max=self.hparams.epochs)}


def build():
    torch.manual_seed(0)
    return ShuffleNetLite()


def main():
    from _fiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xt, yt = shapes(2400, g, flip=0.05)
    xv, yv = shapes(500, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xt, yt), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xv, yv), batch_size=250)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="shufflenet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xv[:128], yv[:128]), causes=[],
           checkpoint="shufflenet/version_0/checkpoints/last.ckpt",
           log="shufflenet/version_0/metrics.csv",
           what="Lightning ShuffleNet-style classifier, 5 synthetic shapes, 5 % wrong train "
                "labels (healthy)")


if __name__ == "__main__":
    main()
