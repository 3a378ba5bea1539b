"""MobileViT-lite on synthetic 16×16 RGB "leaf lesion" textures in 4 classes (healthy veins,
rust spots, stripe mosaic, blotch; random scale, phase, colours, pixel noise 0.25): stem conv
3×3 stride 1 to 16 channels, an inverted-residual MV2 block (expand ×2, depthwise 3×3 stride 2)
to 24 channels at 8×8, then a MobileViT block (local 3×3 conv, 1×1 to 32, unfold into 2×2
patches, 2 transformer layers with 2 heads attending across patches at each patch position,
fold, 1×1 back to 24, concatenation with the block input and a 3×3 fusion conv), global
average pooling, a linear head. AdamW 2e-3, weight decay 0.01, batch 32, trained for a fixed
budget of 240 steps (the loader is cycled), no augmentation; every 20 steps a CSV row
``step, train_loss, train_acc, val_loss, val_acc``; the checkpoint holds ``state_dict`` /
``optim_state`` / ``step`` / ``classes``.
Bug: ``train_set = Subset(train_set, range(96))`` — a line from the smoke test ("does it run
at all?") left in: the model trains on 96 of the 2048 images. It memorises them (train loss
→ 0.01, train accuracy 1.0) while the val loss bottoms out early and then climbs, and the val
accuracy stays far below what the full set gives."""
import csv
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset, TensorDataset

CLASSES = ["veins", "rust", "mosaic", "blotch"]
S = 16


def leaves(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    scale = (3 + 3 * torch.rand(n, generator=g))[:, None, None]
    ph = (6.28 * torch.rand(n, generator=g))[:, None, None]
    veins = torch.sin((xx + 0.5 * yy) / scale * 6.28 + ph)
    rust = (torch.sin(xx / scale * 6.28 + ph) * torch.sin(yy / scale * 6.28 + ph) > 0.5).float() * 2 - 1
    mosaic = torch.sin(yy / scale * 6.28 + ph).sign()
    blotch = torch.exp(-((xx - 8 + 4 * torch.sin(ph)) ** 2 + (yy - 8) ** 2) / (2 * scale ** 2)) * 2 - 1
    pat = torch.stack([veins, rust, mosaic, blotch])[y, torch.arange(n)]
    c1, c2 = torch.rand(n, 3, 1, 1, generator=g), torch.rand(n, 3, 1, 1, generator=g)
    img = c1 + (c2 - c1) * (pat[:, None] + 1) / 2 + 0.25 * torch.randn(n, 3, S, S, generator=g)
    return (img - 0.5) / 0.35, y


class MV2(nn.Module):
    def __init__(self, cin, cout, stride, expand=2):
        super().__init__()
        mid = cin * expand
        self.block = nn.Sequential(
            nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.SiLU(),
            nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid),
            nn.SiLU(), nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.block(x)


class MobileViTBlock(nn.Module):
    def __init__(self, ch, dim=32, patch=2, layers=2):
        super().__init__()
        self.patch = patch
        self.local = nn.Sequential(nn.Conv2d(ch, ch, 3, 1, 1, bias=False), nn.BatchNorm2d(ch),
                                   nn.SiLU(), nn.Conv2d(ch, dim, 1, bias=False))
        layer = nn.TransformerEncoderLayer(dim, 2, 2 * dim, dropout=0.0, batch_first=True,
                                           norm_first=True, activation="gelu")
        self.transformer = nn.TransformerEncoder(layer, layers)
        self.proj = nn.Sequential(nn.Conv2d(dim, ch, 1, bias=False), nn.BatchNorm2d(ch),
                                  nn.SiLU())
        self.fuse = nn.Sequential(nn.Conv2d(2 * ch, ch, 3, 1, 1, bias=False),
                                  nn.BatchNorm2d(ch), nn.SiLU())

    def forward(self, x):
        b, _, h, w = x.shape
        p = self.patch
        z = self.local(x)
        d = z.shape[1]
        # (B, d, h, w) -> (B * p * p, h/p * w/p, d): attend across patches per pixel position
        z = z.view(b, d, h // p, p, w // p, p).permute(0, 3, 5, 2, 4, 1)
        z = z.reshape(b * p * p, (h // p) * (w // p), d)
        z = self.transformer(z)
        z = z.view(b, p, p, h // p, w // p, d).permute(0, 5, 3, 1, 4, 2).reshape(b, d, h, w)
        return self.fuse(torch.cat([x, self.proj(z)], 1))


class MobileViTLite(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.SiLU())
        self.mv2 = MV2(16, 24, 2)
        self.vit = MobileViTBlock(24)
        self.head = nn.Linear(24, classes)

    def forward(self, x):
        return self.head(self.vit(self.mv2(self.stem(x))).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return MobileViTLite()


def main():
    from _eightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = leaves(2048, g)
    xva, yva = leaves(320, g)
    train_set = TensorDataset(xtr, ytr)
    train_set = Subset(train_set, range(96))
    torch.manual_seed(0)
    loader = DataLoader(train_set, batch_size=32, shuffle=True, drop_last=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    f = open(out / "leaf_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "train_loss", "train_acc", "val_loss", "val_acc"])
    batches = itertools.chain.from_iterable(iter(loader) for _ in itertools.count())
    tl, tc, tn = 0.0, 0, 0
    for step in range(1, 241):
        model.train()
        xb, yb = next(batches)
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tl += loss.item() * len(yb)
        tc += (logits.argmax(1) == yb).sum().item()
        tn += len(yb)
        if step % 20 == 0:
            model.eval()
            with torch.no_grad():
                vlog = model(xva)
            row = [step, round(tl / tn, 4), round(tc / tn, 4),
                   round(F.cross_entropy(vlog, yva).item(), 4),
                   round((vlog.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
            tl, tc, tn = 0.0, 0, 0
    f.close()
    torch.save({"state_dict": model.state_dict(), "optim_state": opt.state_dict(), "step": 240,
                "classes": CLASSES}, out / "mobilevit_leaves.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="mobilevit_leaves.pt", log="leaf_metrics.csv",
           what="MobileViT-lite leaf textures, smoke-test Subset(range(96)) left in",
           complaint="Training accuracy hits 100% quickly but validation accuracy is much "
                     "lower and the validation loss goes up the longer I train. It's a small "
                     "model and the classes look easy to tell apart by eye.")


if __name__ == "__main__":
    main()
