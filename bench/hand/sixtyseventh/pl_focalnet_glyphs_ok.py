"""PyTorch Lightning: FocalNet-lite on synthetic 32×32 RGB "glyph" images, 4 classes (a ring,
a cross, a filled square, a diagonal bar pattern) of random size, place and colour on a
textured, noisy background; 5 % of the labels are wrong (the annotators' slips). The model: a
4×4 patch embedding to 32 channels (8×8 tokens), two focal-modulation blocks (pre-LayerNorm;
a linear projection to query, context and 3 gates; hierarchical context by depthwise
convolutions with kernels 3 and 5, each with GELU, plus a global average level; gated
aggregation, a 1×1 modulator multiplied into the query; an MLP of ratio 2; residuals), global
average pooling and a linear head. AdamW 3e-3, weight decay 0.05, batch 64, 7 epochs,
``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val accuracy
about 0.94 (the label noise caps it near 0.95), the val loss above the per-step train loss at
times because of the wrong labels and small batches."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

CLASSES, DIM = 4, 32


def glyphs(n, g):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, CLASSES, (n,), generator=g)
    imgs = 0.3 * torch.randn(n, 3, 32, 32, generator=g)
    imgs += 0.2 * torch.sin(xx / (2 + 3 * torch.rand(n, 1, 1, 1, generator=g)))
    for i in range(n):
        r = 5 + float(torch.rand(1, generator=g)) * 6
        cy, cx = (torch.rand(2, generator=g) * (32 - 2 * r) + r).tolist()
        d = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
        if y[i] == 0:
            m = ((d - r).abs() < 1.5).float()
        elif y[i] == 1:
            m = ((((yy - cy).abs() < 1.5) & ((xx - cx).abs() < r))
                 | (((xx - cx).abs() < 1.5) & ((yy - cy).abs() < r))).float()
        elif y[i] == 2:
            m = (((yy - cy).abs() < r * 0.8) & ((xx - cx).abs() < r * 0.8)).float()
        else:
            m = ((((yy + xx) % 6) < 2) & (d < r)).float()
        colour = 0.6 + torch.rand(3, 1, 1, generator=g)
        imgs[i] += colour * m
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return imgs, y


class FocalModulation(nn.Module):
    def __init__(self, dim, kernels=(3, 5)):
        super().__init__()
        self.levels = len(kernels)
        self.f = nn.Linear(dim, 2 * dim + self.levels + 1)
        self.ctx = nn.ModuleList(nn.Sequential(nn.Conv2d(dim, dim, k, padding=k // 2,
                                                         groups=dim, bias=False), nn.GELU())
                                 for k in kernels)
        self.h = nn.Conv2d(dim, dim, 1)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):  # (B, H, W, C)
        c = x.shape[-1]
        q, ctx, gates = torch.split(self.f(x), (c, c, self.levels + 1), -1)
        ctx, gates = ctx.permute(0, 3, 1, 2), gates.permute(0, 3, 1, 2)
        agg = 0
        for lvl, conv in enumerate(self.ctx):
            ctx = conv(ctx)
            agg = agg + ctx * gates[:, lvl:lvl + 1]
        glob = F.gelu(ctx.mean((2, 3), keepdim=True))
        agg = agg + glob * gates[:, self.levels:]
        return self.proj(q * self.h(agg).permute(0, 2, 3, 1))


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.mod = FocalModulation(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        x = x + self.mod(self.n1(x))
        return x + self.mlp(self.n2(x))


class FocalNetLite(L.LightningModule):
    def __init__(self, lr=3e-3, weight_decay=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.patch = nn.Conv2d(3, DIM, 4, stride=4)
        self.blocks = nn.ModuleList(Block(DIM) for _ in range(2))
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, CLASSES)

    def forward(self, x):
        x = self.patch(x).permute(0, 2, 3, 1)
        for b in self.blocks:
            x = b(x)
        return self.head(self.norm(x.mean((1, 2))))

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
    return FocalNetLite()


def main():
    from _sixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = glyphs(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=7, logger=CSVLogger(str(out), name="focal"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint="focal/version_0/checkpoints/last.ckpt", log="focal/version_0/metrics.csv",
           what="Lightning FocalNet-lite, focal modulation, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
