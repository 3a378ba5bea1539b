"""Plain torch: a CNN with BatchNorm tells four styles of mosaic panel apart from a 3×24×24
photo crop for a museum's catalogue: opus tessellatum (a regular grid of square tesserae),
opus vermiculatum (small stones laid in curving rows following a contour), opus sectile (a few
large cut-stone shapes) and a pebble mosaic (round, irregular stones). The crops are rendered
from the rule of each style (stone size, grid regularity, curvature of the rows), with the
palette, the light, the grout width and the noise drawn at random; 6 % of the catalogue
labels are wrong (panels filed under a neighbouring style). Conv(3→16)-BN-ReLU-pool,
Conv(16→32)-BN-ReLU-pool, Conv(32→48)-BN-ReLU, global average pool, Linear(48→4); SGD momentum
0.9, lr 0.05 with a step decay ×0.3 at epoch 6, weight decay 5e-4, batch 32, 9 epochs of 960
crops, random horizontal flips. A JSON line per epoch (``ep``, ``lr``, ``train_loss``,
``train_acc``, ``val_loss``, ``val_acc``).
Healthy: val accuracy 0.91 after epoch 1, 0.93, then 0.99–1.00 from epoch 3 on (the styles
are distinct once the stone layout is read); val loss 0.25 → 0.08–0.11, flat after epoch 4;
train loss 0.75 → 0.34 and train accuracy 0.92 stay well behind val (the 6 % wrong labels
and the flips act only in training)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def crops(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    imgs = []
    for i in range(n):
        pal = 0.3 + 0.6 * torch.rand(3, 3, generator=g)
        grout = 0.5 + 0.5 * float(torch.rand(1, generator=g))
        k = int(y[i])
        if k == 0:  # tessellatum: regular 4-px grid
            ph = int(torch.randint(0, 4, (1,), generator=g))
            cell = ((yy + ph) // 4 + (xx + ph) // 4) % 3
            line = (((yy + ph) % 4) < grout) | (((xx + ph) % 4) < grout)
        elif k == 1:  # vermiculatum: 2-px stones in curving rows
            cx, cy = 24 * torch.rand(2, generator=g)
            r = torch.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
            cell = (r // 2 + (torch.atan2(yy - cy, xx - cx) * r / 2).floor()) % 3
            line = (r % 2) < grout * 0.8
        elif k == 2:  # sectile: a few large cut shapes
            a = math.pi * float(torch.rand(1, generator=g))
            u = xx * math.cos(a) + yy * math.sin(a)
            cell = (u // 9 + (xx * math.sin(a) - yy * math.cos(a) > 3).float()) % 3
            line = (u % 9) < grout
        else:  # pebbles: round irregular stones on a jittered grid
            jit = torch.rand(7, 7, 2, generator=g) * 2
            gy, gx = (yy // 3.5).long().clamp(max=6), (xx // 3.5).long().clamp(max=6)
            d = (yy - gy * 3.5 - 1.75 - jit[gy, gx, 0] + 1) ** 2 + (xx - gx * 3.5 - 1.75 - jit[gy, gx, 1] + 1) ** 2
            cell = (gy + 2 * gx) % 3
            line = d > 2.2 + grout
        img = pal[:, cell.long()] * (~line).float() + 0.15 * line.float()
        imgs.append(img)
    x = torch.stack(imgs) * (0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g))
    x = (x + 0.06 * torch.randn(x.shape, generator=g) - 0.4) / 0.25
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


def block(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]


def build():
    torch.manual_seed(0)
    return nn.Sequential(*block(3, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                         *block(32, 48), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(48, 4))


def main():
    from _hundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(960, g, flip=0.06)
    xva, yva = crops(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)
    with open(out / "panel_style.jsonl", "w") as f:
        for ep in range(9):
            model.train()
            perm = torch.randperm(960, generator=g)
            tl = ta = 0.0
            for i in range(0, 960, 32):
                idx = perm[i:i + 32]
                xb, yb = xtr[idx], ytr[idx]
                flipm = torch.rand(len(idx), generator=g) < 0.5
                xb = torch.where(flipm.view(-1, 1, 1, 1), xb.flip(3), xb)
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() / 30
                ta += (logits.argmax(1) == yb).float().mean().item() / 30
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl, va = F.cross_entropy(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
            rec = {"ep": ep, "lr": lr, "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                   "val_loss": round(vl, 4), "val_acc": round(va, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 9}, out / "panel_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="panel_cnn.pth",
           log="panel_style.jsonl",
           what="BN CNN classifying mosaic panel styles, SGD + step decay, 6 % wrong labels"
                " (healthy)")


if __name__ == "__main__":
    main()
