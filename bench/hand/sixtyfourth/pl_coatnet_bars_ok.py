"""PyTorch Lightning: a CoAtNet-lite classifier on synthetic 32×32 colour images, 4 classes by
the orientation of a bar (0°, 45°, 90°, 135°; random length, thickness, position and tint, 3
distractor blobs, pixel noise σ 0.3), 5 % of the labels wrong. Convolution stages first: a
3×3 stride-2 stem (BN, GELU) to 16×16 × 16 and an MBConv (expand 4, depthwise 3×3 stride 2)
to 8×8 × 32; then relative-attention stages: a transformer block over the 64 tokens with a
learned relative position bias per head (a (2·8 − 1)² table indexed by the token offset), a
stride-2 conv to 4×4 × 48 and a second relative-attention block over 16 tokens; mean pool,
LayerNorm, linear head. AdamW 2e-3, weight decay 0.05, batch 64, 5 epochs over 1600 images
(400 for validation), ``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``.
Healthy: validation accuracy 0.39 → 0.60 → 0.91 → 0.93 (the wrong labels cap it near 0.95),
the val loss 0.35 a little above the epoch train loss 0.28, the step losses noisy."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

C = 4


def bars(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    r = torch.arange(32).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    ang = y.float() * torch.pi / 4 + 0.1 * torch.randn(n, generator=g)
    cy, cx = 10 + 12 * torch.rand(n, 1, 1, generator=g), 10 + 12 * torch.rand(n, 1, 1, generator=g)
    along = (yy - cy) * torch.sin(ang)[:, None, None] + (xx - cx) * torch.cos(ang)[:, None, None]
    across = (yy - cy) * torch.cos(ang)[:, None, None] - (xx - cx) * torch.sin(ang)[:, None, None]
    half = 5 + 4 * torch.rand(n, 1, 1, generator=g)
    thick = 1 + torch.rand(n, 1, 1, generator=g)
    bar = ((along.abs() < half) & (across.abs() < thick)).float()
    for _ in range(3):
        by, bx = 32 * torch.rand(n, 1, 1, generator=g), 32 * torch.rand(n, 1, 1, generator=g)
        bar = bar + 0.7 * torch.exp(-((yy - by) ** 2 + (xx - bx) ** 2) / 4)
    tint = 0.5 + torch.rand(n, 3, 1, 1, generator=g)
    img = bar[:, None] * tint + 0.3 * torch.randn(n, 3, 32, 32, generator=g)
    img = (img - img.mean()) / img.std()
    wrong = torch.rand(n, generator=g) < 0.05
    y = torch.where(wrong, (y + torch.randint(1, C, (n,), generator=g)) % C, y)
    return img, y


class MBConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        mid = 4 * cin
        self.body = nn.Sequential(nn.BatchNorm2d(cin), nn.Conv2d(cin, mid, 1), nn.BatchNorm2d(mid),
                                  nn.GELU(), nn.Conv2d(mid, mid, 3, 2, 1, groups=mid),
                                  nn.BatchNorm2d(mid), nn.GELU(), nn.Conv2d(mid, cout, 1))
        self.short = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(cin, cout, 1))

    def forward(self, x):
        return self.short(x) + self.body(x)


class RelAttentionBlock(nn.Module):
    def __init__(self, dim, side, heads=2):
        super().__init__()
        self.heads, self.side = heads, side
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.table = nn.Parameter(torch.zeros(heads, (2 * side - 1) ** 2))
        pos = torch.stack(torch.meshgrid(torch.arange(side), torch.arange(side),
                                         indexing="ij")).flatten(1)
        rel = pos[:, :, None] - pos[:, None, :] + side - 1
        self.register_buffer("index", rel[0] * (2 * side - 1) + rel[1], persistent=False)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, t):
        b, n, d = t.shape
        q, k, v = self.qkv(self.norm1(t)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        att = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5 + self.table[:, self.index]
        h = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d)
        t = t + self.proj(h)
        return t + self.mlp(self.norm2(t))


class CoAtNetLite(L.LightningModule):
    def __init__(self, lr=2e-3, weight_decay=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.GELU())
        self.mbconv = MBConv(16, 32)
        self.attn1 = RelAttentionBlock(32, 8)
        self.down = nn.Conv2d(32, 48, 3, 2, 1)
        self.attn2 = RelAttentionBlock(48, 4)
        self.norm = nn.LayerNorm(48)
        self.head = nn.Linear(48, C)

    def forward(self, x):
        x = self.mbconv(self.stem(x))
        b = x.shape[0]
        t = self.attn1(x.flatten(2).transpose(1, 2))
        x = self.down(t.transpose(1, 2).reshape(b, 32, 8, 8))
        t = self.attn2(x.flatten(2).transpose(1, 2))
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
    return CoAtNetLite()


def main():
    from _sixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bars(2000, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1600], y[:1600]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1600:], y[1600:]), batch_size=400)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=5, logger=CSVLogger(str(out), name="bars"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1600:1664], y[1600:1664]), causes=[],
           checkpoint="bars/version_0/checkpoints/last.ckpt",
           log="bars/version_0/metrics.csv",
           what="Lightning CoAtNet-lite bar-orientation classifier, 5 % wrong labels (healthy)")


if __name__ == "__main__":
    main()
