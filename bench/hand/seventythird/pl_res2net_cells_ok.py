"""PyTorch Lightning: a Res2Net-lite (Gao et al.: inside each bottleneck the 1×1-reduced features
are split into s = 4 groups of width w = 4, y1 = x1, y_i = K_i(x_i + y_{i−1}) with 3×3 convs, so
one block sees several receptive-field sizes, concatenated and expanded by a 1×1, BN, residual)
classifies synthetic 24×24 fluorescence-microscopy cells into 4 phenotypes: one round nucleus,
two nuclei, an elongated nucleus, a round nucleus with bright granules. Size, position,
brightness, blur and background are random, 4 % of the training labels are wrong (annotator
slips). Stem conv 16 + BN, 2 Res2Net blocks (the second with stride 2), global average pooling,
dropout 0.3, a linear head. AdamW with a peak rate of 1e-2, weight decay 0.01, a one-cycle schedule
stepped per
batch, batch 32, 7 epochs of 1024 cells; ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy: val accuracy 0.94 at the end (0.96 the epoch before), val loss 0.23; the curve has a
dip at the one-cycle peak (val accuracy 0.81 → 0.64 → 0.92 in epochs 2–4, val loss 0.56 →
0.82 → 0.34), and the epoch train loss stays above the val loss from epoch 1 on (0.45 against
0.23 at the end: the wrong labels and the dropout act only in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

SIZE, CLASSES = 24, 4


def cells(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    y = torch.randint(0, CLASSES, (n,), generator=g)
    imgs = torch.zeros(n, 1, SIZE, SIZE)
    for i in range(n):
        c = SIZE / 2 + (torch.rand(2, generator=g) - 0.5) * 6
        r = 3 + 2 * float(torch.rand(1, generator=g))
        theta = float(torch.rand(1, generator=g)) * 3.14
        dy, dx = yy - c[0], xx - c[1]
        u = dx * torch.cos(torch.tensor(theta)) + dy * torch.sin(torch.tensor(theta))
        v = -dx * torch.sin(torch.tensor(theta)) + dy * torch.cos(torch.tensor(theta))
        k = int(y[i])
        if k == 1:
            blob = (torch.exp(-((u - r * 1.2) ** 2 + v ** 2) / (0.4 * r * r))
                    + torch.exp(-((u + r * 1.2) ** 2 + v ** 2) / (0.4 * r * r)))
        elif k == 2:
            blob = torch.exp(-(u ** 2 / (2.5 * r) ** 2 + v ** 2 / (0.6 * r) ** 2))
        else:
            blob = torch.exp(-(u ** 2 + v ** 2) / (r * r))
        if k == 3:
            for _ in range(5):
                p = c + torch.randn(2, generator=g) * r * 0.5
                blob = blob + 2.0 * torch.exp(-((yy - p[0]) ** 2 + (xx - p[1]) ** 2) / 0.6)
        imgs[i, 0] = blob * (0.6 + 0.6 * float(torch.rand(1, generator=g)))
    imgs = F.avg_pool2d(F.pad(imgs, (1, 1, 1, 1), mode="replicate"), 3, 1)
    imgs = imgs + 0.15 * torch.rand(n, 1, 1, 1, generator=g) + 0.1 * torch.randn(
        n, 1, SIZE, SIZE, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return (imgs - 0.2) / 0.3, y


class Res2Block(nn.Module):
    def __init__(self, cin, cout, stride, scales=4, width=4):
        super().__init__()
        self.scales, self.width, self.stride = scales, width, stride
        self.reduce = nn.Sequential(nn.Conv2d(cin, scales * width, 1, bias=False),
                                    nn.BatchNorm2d(scales * width), nn.ReLU())
        self.convs = nn.ModuleList(nn.Sequential(
            nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
            for _ in range(scales - 1))
        self.pool = nn.AvgPool2d(3, stride, 1) if stride > 1 else nn.Identity()
        self.expand = nn.Sequential(nn.Conv2d(scales * width, cout, 1, bias=False),
                                    nn.BatchNorm2d(cout))
        self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                    nn.BatchNorm2d(cout)) if (cin != cout or stride > 1) else None)

    def forward(self, x):
        parts = self.reduce(x).split(self.width, 1)
        outs, y = [], None
        for i, conv in enumerate(self.convs):  # strided ("stage") blocks do not chain
            y = conv(parts[i] if (i == 0 or self.stride > 1) else parts[i] + y)
            outs.append(y)
        outs.append(self.pool(parts[-1]))
        s = self.short(x) if self.short is not None else x
        return F.relu(self.expand(torch.cat(outs, 1)) + s)


class Res2NetLite(L.LightningModule):
    def __init__(self, lr=1e-2, epochs=7, steps_per_epoch=32):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU())
        self.block1, self.block2 = Res2Block(16, 24, 1), Res2Block(24, 32, 2)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(32, CLASSES)

    def forward(self, x):
        return self.head(self.drop(self.block2(self.block1(self.stem(x))).mean((2, 3))))

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
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=self.hparams.lr, epochs=self.hparams.epochs,
            steps_per_epoch=self.hparams.steps_per_epoch, pct_start=0.3)
        return [opt], [{"scheduler": sched, "interval": "step"}]


def build():
    torch.manual_seed(0)
    return Res2NetLite()


def main():
    from _seventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cells(1024, g, noise_labels=0.04)
    xva, yva = cells(256, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=256)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=7, logger=CSVLogger(str(out), name="res2net"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="res2net/version_0/checkpoints/last.ckpt",
           log="res2net/version_0/metrics.csv",
           what="Lightning Res2Net-lite on synthetic cell phenotypes, one-cycle, 4 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
