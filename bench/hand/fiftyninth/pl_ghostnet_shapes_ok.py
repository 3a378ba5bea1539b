"""PyTorch Lightning: a GhostNet-style classifier of synthetic 32×32 colour images (4 classes:
horizontal stripes, vertical stripes, a checkerboard, a blob; random phase, period, colours and
Gaussian noise 0.35, 5 % of the labels wrong in training and validation alike). Ghost modules
(a 1×1 primary conv to half the channels, a cheap depthwise 3×3 on those for the other half,
concatenated), three ghost bottlenecks with stride-2 depthwise convs and BatchNorm, global
pool, dropout 0.2, linear head. AdamW 3e-3, batch 64, 5 epochs of 1200 images, ``CSVLogger``
→ ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: the val accuracy levels near
the 0.95 ceiling the label noise sets, the val loss sits at the noise floor."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, CLASSES = 32, 4


def images(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, CLASSES, (n,), generator=g)
    x = torch.zeros(n, 3, S, S)
    for i in range(n):
        period = float(torch.rand(1, generator=g) * 4 + 4)
        phase = float(torch.rand(1, generator=g) * 6.3)
        c = int(y[i])
        if c == 0:
            m = torch.sin(yy * 2 * math.pi / period + phase)
        elif c == 1:
            m = torch.sin(xx * 2 * math.pi / period + phase)
        elif c == 2:
            m = torch.sin(xx * 2 * math.pi / period + phase) * torch.sin(yy * 2 * math.pi / period)
        else:
            cy, cx = (torch.rand(2, generator=g) * 16 + 8).tolist()
            m = 2 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 40) - 1
        col = torch.rand(3, 1, 1, generator=g) * 0.8 + 0.2
        x[i] = col * m
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return x + 0.35 * torch.randn(x.shape, generator=g), y


class Ghost(nn.Module):
    def __init__(self, cin, cout, relu=True):
        super().__init__()
        half = cout // 2
        act = nn.ReLU() if relu else nn.Identity()
        self.primary = nn.Sequential(nn.Conv2d(cin, half, 1, bias=False), nn.BatchNorm2d(half), act)
        self.cheap = nn.Sequential(nn.Conv2d(half, half, 3, 1, 1, groups=half, bias=False),
                                   nn.BatchNorm2d(half), act)

    def forward(self, x):
        p = self.primary(x)
        return torch.cat([p, self.cheap(p)], 1)


class Bottleneck(nn.Module):
    def __init__(self, cin, mid, cout):
        super().__init__()
        self.expand = Ghost(cin, mid)
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, 2, 1, groups=mid, bias=False),
                                nn.BatchNorm2d(mid))
        self.project = Ghost(mid, cout, relu=False)
        self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, 2, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.project(self.dw(self.expand(x))) + self.short(x)


class GhostNet(L.LightningModule):
    def __init__(self, lr=3e-3, weight_decay=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU())
        self.blocks = nn.Sequential(Bottleneck(16, 32, 24), Bottleneck(24, 48, 40),
                                    Bottleneck(40, 80, 64))
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(64, CLASSES)

    def forward(self, x):
        return self.head(self.drop(self.blocks(self.stem(x)).mean((2, 3))))

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
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr,
                                 weight_decay=self.hparams.weight_decay)


def build():
    torch.manual_seed(0)
    return GhostNet()


def main():
    from _fiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = images(1500, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1200], y[:1200]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1200:], y[1200:]), batch_size=300)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=5, logger=CSVLogger(str(out), name="ghost"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1200:1328], y[1200:1328]), causes=[],
           checkpoint="ghost/version_0/checkpoints/last.ckpt", log="ghost/version_0/metrics.csv",
           what="Lightning GhostNet-style classifier, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
