"""Furniture: inspecting oak veneer panels for splits before they are pressed onto table tops.
The line camera gives a 16×16 grey patch of each panel: wood grain (horizontal stripes of random
pitch and phase, wavy), pores and lighting gain; a split is a short dark line (4–7 px) running
across the grain at a random place. Splits are 2 % of the panels, as on the real line. A small
CNN (conv 8 → conv 16 → global max pool → linear 2), Adam 1e-3, batch 64, 8 epochs of 3000
panels; a CSV log per epoch with train loss, val loss, val accuracy and split recall/precision.
Bug: plain ``nn.CrossEntropyLoss()`` on the 98 : 2 data, no class weight and no resampling:
train loss 0.32 → 0.103, val accuracy 0.976 from the first epoch on (the 24 splits among 1000
val panels all called sound), split recall 0.00 and precision 0.00 in all 8 epochs. The control
(``CrossEntropyLoss(weight=torch.tensor([1.0, 49.0]))``) reaches split recall 1.00, precision
1.00, val accuracy 1.000 from epoch 4 (recall 0.50 after the first epoch)."""
import csv

import torch
import torch.nn as nn

S = 16


def panels(n, g, rate=0.02):
    y = (torch.rand(n, generator=g) < rate).long()
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    pitch = 2.5 + 2 * torch.rand(n, 1, 1, generator=g)
    phase = 6.283 * torch.rand(n, 1, 1, generator=g)
    wave = 0.8 * torch.sin(xx[None] / 4 + 6 * torch.rand(n, 1, 1, generator=g))
    img = 0.5 + 0.2 * torch.sin(6.283 * (yy[None] + wave) / pitch + phase)
    img = img * (0.8 + 0.4 * torch.rand(n, 1, 1, generator=g))
    img = img - 0.25 * (torch.rand(n, S, S, generator=g) < 0.04).float()
    for i in torch.nonzero(y).flatten().tolist():
        length = int(torch.randint(4, 8, (1,), generator=g))
        r0 = int(torch.randint(0, S - length, (1,), generator=g))
        c0 = int(torch.randint(1, S - 1, (1,), generator=g))
        img[i, r0:r0 + length, c0] -= 0.45
    img = img + 0.05 * torch.randn(n, S, S, generator=g)
    return ((img - 0.5) / 0.2)[:, None], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1),
                         nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(16, 2))


def main():
    from _hundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = panels(3000, g)
    xva, yva = panels(1000, g)
    model = build()
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "inspection_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "val_loss", "val_acc", "split_recall", "split_precision"])
    for epoch in range(8):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        pred = lo.argmax(1)
        tp = ((pred == 1) & (yva == 1)).sum().item()
        row = [epoch, round(tot / len(xtr), 4), round(nn.functional.cross_entropy(lo, yva).item(), 4),
               round((pred == yva).float().mean().item(), 4), round(tp / max((yva == 1).sum().item(), 1), 4),
               round(tp / max((pred == 1).sum().item(), 1), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 8, "split_rate": 0.02},
               out / "veneer_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"], checkpoint="veneer_cnn.pt",
           log="inspection_log.csv",
           what="veneer split detector CNN, 2 % splits, unweighted cross-entropy",
           complaint="The veneer inspection model reports 97.6 % validation accuracy but it has not "
                     "caught a single split: recall on splits is 0.00 in every one of the 8 "
                     "epochs. Loss went down to 0.10 and stopped there.")


if __name__ == "__main__":
    main()
