"""Tyre sidewall inspection: flag a sidewall bulge (an impact break in the carcass cords) on
28×28 grey crops from the tyre-fitting bay's camera. A crop is dark rubber with fine texture,
curved embossed lettering ridges and uneven lighting; a bulge is a soft round swelling (radius
3–6 px) whose shading is a bright rim on the lit side and a shadow on the other — faint, like
the lettering. Bulges are rare: drawn at 2.5 %, 104 of the 4000 training crops (2.6 %) and 18 of
the 1000 validation crops (1.8 %). A small CNN (3 conv blocks 8/16/32, global average pool,
linear head for 2 classes), Adam 1e-3, batch 64, 8 epochs; a CSV log per epoch (``Epoch``, ``TrainLoss``, ``ValLoss``,
``ValAcc``, ``ValBulgeRecall``, ``ValBulgePrecision``).
Bug: ``nn.CrossEntropyLoss()`` with no class weights and no resampling on a 97.5 / 2.5 split:
predicting "ok" for every crop already gives 97.5 % accuracy and the rare bulges' gradient is
outvoted. Val accuracy 0.982 at every epoch (= the "ok" share), not one crop called a bulge,
bulge recall 0.0 and precision 0.0 (0/0) for all 8 epochs; train loss 0.247 → 0.114, val loss
0.088 (the label entropy of this validation split is 0.090). The control
(``nn.CrossEntropyLoss(weight=torch.tensor([1.0, 20.0]))``) finds bulges from the first epoch:
recall 0.17, 0.44, 0.61, 0.56, 0.61, 0.78, 0.72, 0.72 (13 of 18) with precision 0.35 and accuracy
0.971 at the end."""
import csv

import torch
import torch.nn as nn

S = 28


def crops(n, g, share=0.025):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = (torch.rand(n, generator=g) < share).long()
    x = 0.25 + 0.05 * torch.randn(n, S, S, generator=g)
    light = torch.rand(n, 2, generator=g) * 2 - 1
    x = x + 0.08 * (light[:, 0, None, None] * (xx - 14) + light[:, 1, None, None] * (yy - 14)) / 14
    r0 = 30 + 20 * torch.rand(n, generator=g)
    cx = 14 + 6 * torch.randn(n, generator=g)
    rad = torch.sqrt((xx[None] - cx[:, None, None]) ** 2 + (yy[None] + r0[:, None, None]) ** 2)
    ridges = torch.sin(rad * (1.5 + torch.rand(n, 1, 1, generator=g)))
    on = (torch.rand(n, 1, S, generator=g) < 0.6).float().repeat_interleave(1, 1)
    x = x + 0.12 * (ridges > 0.7).float() * on
    c = 6 + torch.rand(n, 2, generator=g) * 16
    r = 3 + 3 * torch.rand(n, generator=g)
    dy, dx = yy[None] - c[:, 0, None, None], xx[None] - c[:, 1, None, None]
    blob = torch.exp(-(dx ** 2 + dy ** 2) / (2 * r[:, None, None] ** 2))
    shade = (dx * light[:, 0, None, None] + dy * light[:, 1, None, None]) / r[:, None, None]
    x = x + 0.4 * y[:, None, None] * blob * shade
    return ((x - 0.25) / 0.1)[:, None], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))


def main():
    from _hundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(4000, g)
    xva, yva = crops(1000, g)
    print("bulges train/val:", int(ytr.sum()), int(yva.sum()))
    model = build()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "bulge_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "TrainLoss", "ValLoss", "ValAcc", "ValBulgeRecall", "ValBulgePrecision"])
    for epoch in range(8):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = lo.argmax(1)
            tp = ((pred == 1) & (yva == 1)).sum().item()
            row = [epoch, tot / 4000, nn.functional.cross_entropy(lo, yva).item(),
                   (pred == yva).float().mean().item(), tp / max(int(yva.sum()), 1),
                   tp / max(int((pred == 1).sum()), 1)]
        w.writerow([row[0]] + [f"{v:.4f}" for v in row[1:]])
        print([round(v, 4) for v in row], int((pred == 1).sum()))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 7,
                "classes": ["ok", "bulge"]}, out / "sidewall_cnn_last.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["class_imbalance"],
           checkpoint="sidewall_cnn_last.pt", log="bulge_metrics.csv",
           what="tyre sidewall bulge CNN, 2.5 % bulges, unweighted cross-entropy",
           complaint="Our sidewall bulge detector reports 98.2 % validation accuracy, but in the "
                     "bay it has never flagged a single bulge. I checked the log: bulge recall is "
                     "0.0 at every one of the 8 epochs, it predicts 'ok' for all 1000 validation "
                     "crops. The training loss goes down from 0.25 to 0.11, so it is learning "
                     "something.")


if __name__ == "__main__":
    main()
