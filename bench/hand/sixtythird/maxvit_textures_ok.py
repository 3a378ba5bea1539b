"""MaxViT-lite image classifier on synthetic 32×32 colour textures, 4 classes (horizontal
stripes, vertical stripes, checkerboard, concentric rings; random period, phase, centre and
tint, pixel noise σ 0.3). Conv stem (stride 2, BN, GELU) to 16×16 × 24, an MBConv (expand 2,
depthwise 3×3 stride 2, squeeze-excite) to 8×8 × 48, then block attention (4×4 windows) and
grid attention (a 4×4 grid of stride-2 tokens), each pre-LN with an MLP, pooled to a linear
head. The training transform is heavy (random crop with pad 4, horizontal flip, Gaussian
noise σ 1.0, a random 16×16 erasing); validation images go through untouched. AdamW 2e-3,
weight decay 0.05, batch 64, 5 epochs over 1600 images, 400 for validation; the log is JSON
lines (train loss every 10 steps, val loss / accuracy per epoch). Healthy: val accuracy 0.915
with the val loss (0.22) well below the noisy train loss (0.25–0.67, measured on the
augmented images)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

C = 4


def textures(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    r = torch.arange(32).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    period = 4 + 6 * torch.rand(n, 1, 1, generator=g)
    phase = 6.3 * torch.rand(n, 1, 1, generator=g)
    cy, cx = 8 + 16 * torch.rand(n, 1, 1, generator=g), 8 + 16 * torch.rand(n, 1, 1, generator=g)
    w = 2 * torch.pi / period
    pats = torch.stack([torch.sin(w * yy + phase), torch.sin(w * xx + phase),
                        torch.sin(w * yy + phase) * torch.sin(w * xx + phase),
                        torch.sin(w * ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt() + phase)], 1)
    pat = pats[torch.arange(n), y]
    tint = 0.5 + torch.rand(n, 3, 1, 1, generator=g)
    x = 0.5 * pat[:, None] * tint + 0.3 * torch.randn(n, 3, 32, 32, generator=g)
    return x, y


class Textures(torch.utils.data.Dataset):
    def __init__(self, x, y, transform):
        self.x, self.y, self.transform = x, y, transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.transform(self.x[i]), self.y[i]


def train_tf(img):
    img = F.pad(img, (4, 4, 4, 4))
    i, j = torch.randint(0, 9, (2,)).tolist()
    img = img[:, i:i + 32, j:j + 32]
    if torch.rand(()) < 0.5:
        img = img.flip(2)
    img = img + 1.0 * torch.randn_like(img)
    i, j = torch.randint(0, 17, (2,)).tolist()
    img = img.clone()
    img[:, i:i + 16, j:j + 16] = 0
    return img


def plain_tf(img):
    return img


class MBConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        mid = cin * 2
        self.expand = nn.Sequential(nn.Conv2d(cin, mid, 1), nn.BatchNorm2d(mid), nn.GELU())
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, 2, 1, groups=mid), nn.BatchNorm2d(mid),
                                nn.GELU())
        self.se = nn.Sequential(nn.Linear(mid, mid // 8), nn.GELU(), nn.Linear(mid // 8, mid))
        self.project = nn.Sequential(nn.Conv2d(mid, cout, 1), nn.BatchNorm2d(cout))
        self.short = nn.Conv2d(cin, cout, 1, 2)

    def forward(self, x):
        h = self.dw(self.expand(x))
        h = h * torch.sigmoid(self.se(h.mean((2, 3))))[:, :, None, None]
        return self.short(x) + self.project(h)


class PartitionAttention(nn.Module):
    """Attention inside 4×4 groups of an 8×8 map: local windows ("block") or a strided grid."""

    def __init__(self, dim, grid):
        super().__init__()
        self.grid = grid
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        b, c, hgt, wid = x.shape
        if self.grid:  # token (i, j) of group (a, b) sits at (2 i + a, 2 j + b)
            t = x.view(b, c, 4, 2, 4, 2).permute(0, 3, 5, 2, 4, 1).reshape(b * 4, 16, c)
        else:          # token (i, j) of window (a, b) sits at (4 a + i, 4 b + j)
            t = x.view(b, c, 2, 4, 2, 4).permute(0, 2, 4, 3, 5, 1).reshape(b * 4, 16, c)
        h = self.norm1(t)
        t = t + self.attn(h, h, h, need_weights=False)[0]
        t = t + self.mlp(self.norm2(t))
        if self.grid:
            return t.view(b, 2, 2, 4, 4, c).permute(0, 5, 3, 1, 4, 2).reshape(b, c, hgt, wid)
        return t.view(b, 2, 2, 4, 4, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, hgt, wid)


class MaxViTLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1), nn.BatchNorm2d(24), nn.GELU())
        self.mbconv = MBConv(24, 48)
        self.block_attn = PartitionAttention(48, grid=False)
        self.grid_attn = PartitionAttention(48, grid=True)
        self.norm = nn.LayerNorm(48)
        self.head = nn.Linear(48, C)

    def forward(self, x):
        x = self.grid_attn(self.block_attn(self.mbconv(self.stem(x))))
        return self.head(self.norm(x.mean((2, 3))))


def build():
    torch.manual_seed(0)
    return MaxViTLite()


def main():
    from _sixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = textures(2000, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(Textures(x[:1600], y[:1600], train_tf), batch_size=64,
                                        shuffle=True)
    val = torch.utils.data.DataLoader(Textures(x[1600:], y[1600:], plain_tf), batch_size=200)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    log = open(out / "maxvit_log.jsonl", "w")
    step = 0
    for epoch in range(5):
        model.train()
        for xb, yb in train:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "train_loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        vl, right = 0.0, 0
        with torch.no_grad():
            for xb, yb in val:
                logits = model(xb)
                vl += F.cross_entropy(logits, yb, reduction="sum").item()
                right += (logits.argmax(1) == yb).sum().item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": round(vl / 400, 4),
                              "val_acc": round(right / 400, 4)}) + "\n")
        print(epoch, step, round(loss.item(), 4), round(vl / 400, 4), right / 400)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": epoch, "step": step}, out / "maxvit_lite.pt")
    finish(out, __file__, next(iter(val)), causes=[],
           checkpoint="maxvit_lite.pt", log="maxvit_log.jsonl",
           what="MaxViT-lite texture classifier, heavy training augmentation (healthy)")


if __name__ == "__main__":
    main()
