"""Plain torch: a multi-label MLP flags three problems on a rubber tree's tapping panel from 16
numbers a tapper's handheld logs over the last month: mean and trend of latex volume per
tapping, dry rubber content, flow time until the latex stops dripping, share of partly dry
cut, bark consumption per cut, cut slope, tapping depth, days since stimulation, rainfall,
tree girth and clone (3 one-hot). Labels: tapping-panel dryness (short flow, dry share, low
volume), over-deep tapping (depth, bark consumption) and a due re-stimulation (days since
stimulation, falling trend); each is a noisy function of a few features, 5 % of flags
flipped, several can be on at once. MLP 16-64-64-3 with dropout 0.1, ``BCEWithLogitsLoss``,
Adam 1e-3, batch 32, 30 epochs of 1280 trees.
Healthy: val BCE 0.60 after epoch 1, 0.26 at epoch 5, 0.22-0.24 from epoch 10 on (a plateau),
val label accuracy 0.78 → 0.90; train BCE (0.65 → 0.29) stays above val all along (the flipped
flags and dropout only act in training)."""
import csv

import torch
import torch.nn as nn


def trees(n, g, flip=0.0):
    x = torch.randn(n, 16, generator=g)
    clone = torch.randint(0, 3, (n,), generator=g)
    x[:, 13:] = nn.functional.one_hot(clone, 3).float()
    dry = -1.1 * x[:, 3] + 0.9 * x[:, 4] - 0.6 * x[:, 0] + 0.5 * (clone == 2).float() - 0.4
    deep = 1.3 * x[:, 7] + 0.8 * x[:, 5] + 0.4 * x[:, 7] * x[:, 5] - 0.8
    stim = 1.2 * x[:, 8] - 0.9 * x[:, 1] - 0.3 * x[:, 9]
    y = (torch.stack([dry, deep, stim], 1) + 0.4 * torch.randn(n, 3, generator=g) > 0).float()
    wrong = torch.rand(n, 3, generator=g) < flip
    return x, torch.where(wrong, 1 - y, y)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 3))


def main():
    from _hundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trees(1280, g, flip=0.05)
    xva, yva = trees(384, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    rows = []
    for ep in range(30):
        net.train()
        perm = torch.randperm(1280, generator=g)
        tot = 0.0
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            loss = bce(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            lv = net(xva)
            vl = bce(lv, yva).item()
            acc = ((lv > 0).float() == yva).float().mean().item()
        rows.append([ep, f"{tot / 1280:.4f}", f"{vl:.4f}", f"{acc:.4f}"])
        print(rows[-1])
    with open(out / "panel_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ep", "train_bce", "val_bce", "val_label_acc"])
        w.writerows(rows)
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "labels": ["panel_dryness", "too_deep", "restimulate"]}, out / "panel_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="panel_mlp.pt",
           log="panel_metrics.csv",
           what="multi-label MLP flagging rubber tapping panel problems, 5 % flipped flags"
                " (healthy)")


if __name__ == "__main__":
    main()
