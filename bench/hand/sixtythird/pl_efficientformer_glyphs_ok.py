"""PyTorch Lightning: an EfficientFormer-lite classifier on synthetic 32×32 grey glyphs, 4
classes (a filled square, a ring, a plus, a diagonal cross; random size, position and
brightness, background clutter of 6 random dots, pixel noise σ 0.25), 5 % of the labels wrong
(the glyphs were sorted by hand). Conv stem (two 3×3 stride-2 convs with BN + ReLU) to 8×8 × 32,
two pooling-mixer (Meta4D) blocks (x + pool(x) − x, then a BN + 1×1-conv MLP), a stride-2
conv to 4×4 × 48, then two attention (Meta3D) blocks over the 16 tokens (pre-LN, 4 heads,
MLP ×2), mean pool, linear head with dropout 0.1. AdamW 1e-3, weight decay 0.05, batch 64, 6
epochs over 2400 images (400 for validation), ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy: val accuracy 0.74 → 0.91 and still creeping up
(the 5 % wrong labels cap it near 0.95), the val loss 0.35 a little above the train loss 0.25,
both still falling; one flat epoch (val loss 0.39 → 0.40) on the way."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

C = 4


def glyphs(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    r = torch.arange(32).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cy, cx = 10 + 12 * torch.rand(n, 1, 1, generator=g), 10 + 12 * torch.rand(n, 1, 1, generator=g)
    s = 4 + 4 * torch.rand(n, 1, 1, generator=g)
    dy, dx = (yy - cy).abs(), (xx - cx).abs()
    shapes = torch.stack([((dy < s) & (dx < s)),
                          ((dy ** 2 + dx ** 2).sqrt() - s).abs() < 1.2,
                          ((dy < 1.2) & (dx < s)) | ((dx < 1.2) & (dy < s)),
                          (((yy - cy) - (xx - cx)).abs() < 1.2) & (dy < s)
                          | (((yy - cy) + (xx - cx)).abs() < 1.2) & (dy < s)], 1).float()
    img = shapes[torch.arange(n), y] * (0.6 + 0.4 * torch.rand(n, 1, 1, generator=g))
    dots = torch.randint(0, 32 * 32, (n, 6), generator=g)
    img.view(n, -1).scatter_(1, dots, 0.8)
    img = img + 0.25 * torch.randn(n, 32, 32, generator=g)
    wrong = torch.rand(n, generator=g) < 0.05
    y = torch.where(wrong, (y + torch.randint(1, C, (n,), generator=g)) % C, y)
    return ((img - 0.2) / 0.4)[:, None], y


class Meta4D(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.pool = nn.AvgPool2d(3, 1, 1, count_include_pad=False)
        self.mlp = nn.Sequential(nn.BatchNorm2d(dim), nn.Conv2d(dim, 2 * dim, 1), nn.GELU(),
                                 nn.Conv2d(2 * dim, dim, 1))

    def forward(self, x):
        x = x + (self.pool(x) - x)
        return x + self.mlp(x)


class Meta3D(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, t):
        h = self.norm1(t)
        t = t + self.attn(h, h, h, need_weights=False)[0]
        return t + self.mlp(self.norm2(t))


class EfficientFormerLite(L.LightningModule):
    def __init__(self, lr=1e-3, weight_decay=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.mixers = nn.Sequential(Meta4D(32), Meta4D(32))
        self.down = nn.Sequential(nn.Conv2d(32, 48, 3, 2, 1), nn.BatchNorm2d(48))
        self.attn = nn.Sequential(Meta3D(48), Meta3D(48))
        self.norm = nn.LayerNorm(48)
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(48, C))

    def forward(self, x):
        x = self.down(self.mixers(self.stem(x)))
        t = self.attn(x.flatten(2).transpose(1, 2))
        return self.head(self.norm(t.mean(1)))

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
    return EfficientFormerLite()


def main():
    from _sixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = glyphs(2800, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:2400], y[:2400]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[2400:], y[2400:]), batch_size=400)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="glyphs"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[2400:2464], y[2400:2464]), causes=[],
           checkpoint="glyphs/version_0/checkpoints/last.ckpt",
           log="glyphs/version_0/metrics.csv",
           what="Lightning EfficientFormer-lite glyph classifier, 5 % wrong labels (healthy)")


if __name__ == "__main__":
    main()
