"""Tiny ViT for a warehouse camera check: in a 16x16 grey frame one parcel label (a bright
3x3 cross on a 4x4 cell, the cells aligned with the 4x4 patches) sits among clutter (dim
random specks everywhere); the class is the quadrant the label is in (4 classes). Patch
embedding by a stride-4 conv, a CLS token, learned position embeddings, 2 pre-LN encoder
layers (d 48, 4 heads), AdamW 3e-3 with weight_decay 0.05, batch 64, 10 epochs, cosine per
epoch. Bug: the position embedding ``self.pos`` is created (and initialised with
trunc_normal_ like the timm code it was copied from) but the line adding it was lost when the
CLS concatenation was moved, so the encoder sees an unordered set of patches and cannot tell
where the label is: val accuracy stays at chance (0.24-0.26) while the val loss sits at
ln 4 (1.388-1.41); with ``+ self.pos``: val accuracy 1.00 from epoch 5, val loss 0.012."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, PATCH, DIM = 16, 4, 48
N_PATCH = (SIZE // PATCH) ** 2


def frames(n, g):
    x = 0.25 * (torch.rand(n, 1, SIZE, SIZE, generator=g) < 0.15).float()
    x = x * torch.rand(n, 1, SIZE, SIZE, generator=g)
    y = torch.randint(0, 4, (n,), generator=g)
    cross = torch.tensor([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=torch.float32)
    for i in range(n):
        qy, qx = divmod(int(y[i]), 2)
        cy = 2 * qy + int(torch.randint(0, 2, (1,), generator=g))
        cx = 2 * qx + int(torch.randint(0, 2, (1,), generator=g))
        oy, ox = int(torch.randint(0, 2, (1,), generator=g)), int(torch.randint(0, 2, (1,),
                                                                                 generator=g))
        r, c = cy * PATCH + oy, cx * PATCH + ox
        x[i, 0, r:r + 3, c:c + 3] = torch.maximum(x[i, 0, r:r + 3, c:c + 3], cross)
    return (x - 0.1) / 0.25, y


class TinyViT(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.patch = nn.Conv2d(1, DIM, PATCH, stride=PATCH)
        self.cls = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos = nn.Parameter(torch.zeros(1, N_PATCH + 1, DIM))
        nn.init.trunc_normal_(self.pos, std=0.02)
        layer = nn.TransformerEncoderLayer(DIM, 4, 96, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(len(x), -1, -1), x], 1)
        x = self.encoder(x)
        return self.head(self.norm(x[:, 0]))


def build():
    torch.manual_seed(0)
    return TinyViT()


def main():
    from _twentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = frames(2000, g)
    tx, ty, vx, vy = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    log = open(out / "vit_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])
    for epoch in range(10):
        model.train()
        tot, hit = 0.0, 0
        for idx in torch.randperm(1600, generator=g).split(64):
            logits = model(tx[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ty[idx]).sum().item()
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            vl = model(vx)
            vloss = F.cross_entropy(vl, vy).item()
            vacc = (vl.argmax(1) == vy).float().mean().item()
        row = [epoch, round(tot / 1600, 4), round(hit / 1600, 4), round(vloss, 4),
               round(vacc, 4), round(lr, 6)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": epoch}, out / "vit_quadrants.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["gradient_not_flowing"],
           checkpoint="vit_quadrants.pt", log="vit_log.csv",
           what="tiny ViT whose learned position embedding is created but never added to the "
                "tokens (permutation-invariant encoder on a where-is-it task)",
           complaint="ViT quadrant classifier stays at 25% accuracy, loss stuck at 1.386 the "
                     "whole run; the same data is easy for a small CNN.")


if __name__ == "__main__":
    main()
