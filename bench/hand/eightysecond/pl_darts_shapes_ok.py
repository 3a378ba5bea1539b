"""PyTorch Lightning: a DARTS-style cell network (one-shot, single-level: the architecture
weights are learnt with the network weights by the same optimizer) on synthetic 16×16 grey
shape images in 4 classes (disc, square, triangle, cross; random size, position, brightness,
a background gradient and pixel noise 0.15), 8 % of the training labels wrong. Stem conv 3×3
12 + BN; 2 cells (a normal cell, then a reduction cell, stride 2, 16 channels), each with 2 intermediate
nodes; every edge is a mixed op, softmax(α) over {3×3 separable conv, 3×3
max pool, 3×3 avg pool, skip}, α initialised at 1e-3 · N(0, 1); the cell output is the
concatenation of its nodes reduced by a 1×1 conv. Global average pooling, dropout 0.3, a linear
head. Adam 5e-3 (α too) with a per-epoch cosine decay, batch 32, 6 epochs of 640 images; ``CSVLogger`` →
``metrics.csv``, ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``. Healthy: val accuracy
0.80 (clean validation labels), after two epochs stuck near 0.42 while the cells' BN and α
settle; the train loss 0.94 stays above the val loss 0.84 (the wrong labels and the dropout only
act in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 16


def shapes(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    r = (2 + 1.5 * torch.rand(n, generator=g))[:, None, None]
    cy = (4 + 8 * torch.rand(n, generator=g))[:, None, None]
    cx = (4 + 8 * torch.rand(n, generator=g))[:, None, None]
    dy, dx = yy - cy, xx - cx
    masks = torch.stack([dy ** 2 + dx ** 2 <= r ** 2,
                         (dy.abs() <= r * 0.85) & (dx.abs() <= r * 0.85),
                         (dy <= r * 0.8) & (dy >= -r) & (dx.abs() <= (dy + r) * 0.6),
                         ((dy.abs() <= r * 0.3) & (dx.abs() <= r))
                         | ((dx.abs() <= r * 0.3) & (dy.abs() <= r))])
    m = masks[y, torch.arange(n)].float()
    bright = 0.6 + 0.4 * torch.rand(n, 1, 1, generator=g)
    img = m * bright + torch.rand(n, 1, 1, generator=g) * (xx / S) * 0.5
    img = img + 0.15 * torch.randn(n, S, S, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ((img - 0.4) / 0.5)[:, None], y


def sep(c, k, stride):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, k, stride, k // 2, groups=c, bias=False),
                         nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))


class MixedOp(nn.Module):
    def __init__(self, c, stride):
        super().__init__()
        self.ops = nn.ModuleList([sep(c, 3, stride), nn.MaxPool2d(3, stride, 1), nn.AvgPool2d(3, stride, 1),
                                  nn.Identity() if stride == 1 else nn.AvgPool2d(stride)])

    def forward(self, x, w):
        return sum(wi * op(x) for wi, op in zip(w, self.ops, strict=False))


class Cell(nn.Module):
    def __init__(self, cin, c, stride):
        super().__init__()
        self.pre = nn.Sequential(nn.ReLU(), nn.Conv2d(cin, c, 1, bias=False), nn.BatchNorm2d(c))
        self.e01, self.e02 = MixedOp(c, stride), MixedOp(c, stride)
        self.e12 = MixedOp(c, 1)
        self.post = nn.Sequential(nn.Conv2d(2 * c, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x, alpha):
        w = F.softmax(alpha, -1)
        h = self.pre(x)
        n1 = self.e01(h, w[0])
        n2 = self.e02(h, w[1]) + self.e12(n1, w[2])
        return self.post(torch.cat([n1, n2], 1))


class DartsNet(L.LightningModule):
    def __init__(self, lr=5e-3):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(1, 12, 3, 1, 1, bias=False), nn.BatchNorm2d(12))
        self.cells = nn.ModuleList([Cell(12, 12, 1), Cell(12, 16, 2)])
        self.alpha_normal = nn.Parameter(1e-3 * torch.randn(3, 4))
        self.alpha_reduce = nn.Parameter(1e-3 * torch.randn(3, 4))
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        h = self.stem(x)
        for i, cell in enumerate(self.cells):
            h = cell(h, self.alpha_reduce if i == 1 else self.alpha_normal)
        return self.head(self.drop(F.relu(h).mean((2, 3))))

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
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)]


def build():
    torch.manual_seed(0)
    return DartsNet()


def main():
    from _eightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shapes(640, g, noise_labels=0.08)
    xva, yva = shapes(256, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=256)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="darts"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="darts/version_0/checkpoints/last.ckpt", log="darts/version_0/metrics.csv",
           what="Lightning DARTS-style cell network (mixed ops, learnt alphas) on shapes, 8 % "
                "label noise (healthy)")


if __name__ == "__main__":
    main()
