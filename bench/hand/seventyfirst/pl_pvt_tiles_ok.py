"""PyTorch Lightning: a PVT-lite (Pyramid Vision Transformer, Wang et al. 2021) classifying
synthetic 32×32 RGB satellite tiles into 4 land uses (water: smooth blue with ripples; forest:
blobby dark green; fields: yellow-green stripes at a random angle; urban: a grey grid of
blocks), random brightness, sensor noise, 8 % of the training labels wrong (a careless
annotator). Two stages: an overlapping-free patch embedding 4×4 → 8×8 tokens of 32, one block
whose attention uses *spatial-reduction* keys/values (a 2×2 stride-2 conv shrinks the 64 tokens
to 16 before K/V); a 2×2 patch merge → 4×4 tokens of 64, one block with full attention;
LayerNorm, mean over tokens, dropout 0.3, linear head. AdamW 2e-3, weight decay 0.05, a
per-epoch cosine decay, batch 32, 6 epochs; ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy, and easy: val accuracy 1.00 from the first epoch on,
val
loss 0.064–0.080; the train epoch loss 0.51 → 0.32 sits far above the val loss (the 8 % wrong
labels cost ≈ 0.3 nats and the dropout acts only in training) and never approaches it."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def tiles(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 3, 32, 32)
    for i in range(n):
        c = int(y[i])
        if c == 0:
            rip = 0.05 * torch.sin(yy / 2 + float(6 * torch.rand(1, generator=g)))
            img[i] = torch.tensor([0.1, 0.25, 0.6])[:, None, None] + rip
        elif c == 1:
            blobs = F.interpolate(torch.rand(1, 1, 6, 6, generator=g), size=32, mode="bilinear")[0]
            img[i] = torch.tensor([0.05, 0.3, 0.1])[:, None, None] * (0.6 + blobs)
        elif c == 2:
            th = float(3.14 * torch.rand(1, generator=g))
            s = torch.sin((xx * math.cos(th) + yy * math.sin(th)) / 1.5)
            img[i] = torch.tensor([0.5, 0.55, 0.2])[:, None, None] + 0.12 * s
        else:
            p = int(torch.randint(5, 9, (1,), generator=g))
            grid = (((yy % p) < p - 2) & ((xx % p) < p - 2)).float()
            img[i] = 0.35 + 0.25 * grid
    img = img * (0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g))
    img = img + 0.08 * torch.randn(n, 3, 32, 32, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (img - 0.4) / 0.2, y


class SRAttention(nn.Module):
    def __init__(self, dim, heads, sr):
        super().__init__()
        self.heads, self.sr = heads, sr
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)
        if sr > 1:
            self.reduce = nn.Conv2d(dim, dim, sr, sr)
            self.norm = nn.LayerNorm(dim)

    def forward(self, x, h, w):
        B, N, C = x.shape
        q = self.q(x).view(B, N, self.heads, -1).transpose(1, 2)
        if self.sr > 1:
            x = self.reduce(x.transpose(1, 2).reshape(B, C, h, w)).flatten(2).transpose(1, 2)
            x = self.norm(x)
        k, v = self.kv(x).view(B, x.shape[1], 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v)
        return self.proj(out.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, heads, sr):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = SRAttention(dim, heads, sr)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, h, w):
        x = x + self.attn(self.n1(x), h, w)
        return x + self.mlp(self.n2(x))


class PVTLite(L.LightningModule):
    def __init__(self, lr=2e-3, epochs=6):
        super().__init__()
        self.save_hyperparameters()
        self.embed1 = nn.Conv2d(3, 32, 4, 4)
        self.pos1 = nn.Parameter(torch.randn(1, 64, 32) * 0.02)
        self.stage1 = Block(32, 1, sr=2)
        self.embed2 = nn.Conv2d(32, 64, 2, 2)
        self.pos2 = nn.Parameter(torch.randn(1, 16, 64) * 0.02)
        self.stage2 = Block(64, 2, sr=1)
        self.norm = nn.LayerNorm(64)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        B = x.shape[0]
        t = self.embed1(x).flatten(2).transpose(1, 2) + self.pos1
        t = self.stage1(t, 8, 8)
        t = self.embed2(t.transpose(1, 2).reshape(B, 32, 8, 8)).flatten(2).transpose(1, 2)
        t = self.stage2(t + self.pos2, 4, 4)
        return self.head(self.drop(self.norm(t).mean(1)))

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
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.05)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, self.hparams.epochs)]


def build():
    torch.manual_seed(0)
    return PVTLite()


def main():
    from _seventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tiles(960, g, noise_labels=0.08)
    xva, yva = tiles(240, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="pvt"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pvt/version_0/checkpoints/last.ckpt", log="pvt/version_0/metrics.csv",
           what="Lightning PVT-lite (spatial-reduction attention) on satellite tiles, 8 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
