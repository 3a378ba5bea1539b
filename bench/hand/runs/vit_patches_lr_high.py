"""The tiny ViT trained with an SGD recipe's schedule (lr 0.1, cosine, no warm-up) kept after
switching to AdamW: 100x the learning rate a transformer tolerates."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def textures(n, g):
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    period = 3 + torch.randint(0, 3, (n, 1, 1), generator=g).float()
    shift = torch.rand(n, 1, 1, generator=g) * 6
    y = torch.randint(0, 4, (n,), generator=g)
    w = 6.28 / period
    pats = torch.stack([torch.sin((yy + shift) * w), torch.sin((xx + shift) * w),
                        torch.sin((xx + yy + shift) * w),
                        torch.sin((xx + shift) * w) * torch.sin(yy * w)])
    img = pats[y, torch.arange(n)] + 0.5 * torch.randn(n, 16, 16, generator=g)
    return img.unsqueeze(1), y


class TinyViT(nn.Module):
    def __init__(self, patch=4, dim=48, depth=2, heads=4, n_classes=4):
        super().__init__()
        self.to_tokens = nn.Conv2d(1, dim, patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(0.02 * torch.randn(1, (16 // patch) ** 2 + 1, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, x):
        t = self.to_tokens(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(len(t), -1, -1), t], 1) + self.pos
        return self.head(self.norm(self.encoder(t)[:, 0]))


def build():
    torch.manual_seed(0)
    return TinyViT()


def main(lr=1e-1, causes=("lr_too_high",), what="tiny ViT, AdamW lr=0.1 (100x too high)",
         said="validation accuracy sits at chance for three epochs and ends at only 60 %"):
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = textures(1536, g)
    xva, yva = textures(256, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.05)
    total = 6 * (len(xtr) // 64)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)  # the SGD recipe's
    with open(out / "vit_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "loss", "lr", "val_loss", "val_acc"])
        step = 0
        for epoch in range(6):
            perm = torch.randperm(len(xtr), generator=g)
            for i in range(0, len(xtr), 64):
                model.train()
                loss = F.cross_entropy(model(xtr[perm[i:i + 64]]), ytr[perm[i:i + 64]])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                vl = va = ""
                if step % 12 == 0:
                    model.eval()
                    with torch.no_grad():
                        o = model(xva)
                        vl = F.cross_entropy(o, yva).item()
                        va = (o.argmax(1) == yva).float().mean().item()
                w.writerow([step, epoch, loss.item(), sched.get_last_lr()[0], vl, va])
    print("val acc", va, "val loss", vl)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict()}, out / "vit.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=list(causes), checkpoint="vit.pt",
           log="vit_log.csv", what=what, complaint=said)


if __name__ == "__main__":
    main()
