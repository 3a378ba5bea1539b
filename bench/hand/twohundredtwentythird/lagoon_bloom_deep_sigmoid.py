"""Plain torch: a lagoon water-quality team warns of an algal bloom next week (binary) from ten
weekly readings at a monitoring station: water temperature, salinity, nitrate, phosphate,
chlorophyll-a, turbidity (Secchi depth), dissolved oxygen, wind, days since the inlet was last
open and rainfall. Blooms follow warm, brackish, nutrient-rich, calm, poorly flushed weeks
(a logistic rule on those features with interactions, 28 % positives). A deep MLP: 10
hidden layers of width 48, He-normal initialised, BCE with logits, SGD 0.05 momentum 0.9, batch
64, 20 epochs of 2048 weeks, 256 validation weeks. Per-epoch CSV ``bloom_log.csv`` (epoch,
train_bce, val_bce, val_acc); checkpoint keys ``model_state_dict`` /
``optimizer_state_dict`` / ``epoch``.

Bug: the hidden layers use ``ACT = nn.Sigmoid`` ("the output is a probability, so sigmoid
everywhere"), ten of them stacked: the gradient shrinks by about 4x at every layer and the
first layers barely move. Numbers: train BCE 0.598 (epoch 1), 0.593-0.607 for all
20 epochs (0.595 at the end), val BCE 0.583-0.596, val accuracy 0.7305 at every epoch (every
week predicted 'no bloom', the share of non-bloom weeks in validation). Control (``ACT = nn.ReLU``): train BCE 0.401 (epoch 1) → 0.148 (4) →
0.054 (20), val BCE 0.324 → 0.132 (4) → 0.11-0.22 afterwards (0.131 at the end), val
accuracy 0.856 (1), 0.941 (4), 0.93-0.96 after that, 0.961 at the end."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

ACT = nn.Sigmoid
DEPTH = 10


def weeks(n, g):
    x = torch.randn(n, 10, generator=g)
    temp, sal, no3, po4, chl, secchi, do, wind, closed, rain = x.T
    z = (1.4 * temp - 0.8 * (sal - 0.3) ** 2 + 0.9 * no3 + 0.7 * po4 + 0.6 * chl
         - 0.5 * secchi - 0.9 * wind + 0.8 * closed + 0.6 * temp * closed + 0.4 * rain * no3
         - 0.6)
    y = (z + 0.4 * torch.randn(n, generator=g) > 0).float()
    return x, y


class BloomNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, w = [], 10
        for _ in range(DEPTH):
            layers += [nn.Linear(w, 48), ACT()]
            w = 48
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(48, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(self.body(x)).squeeze(1)


def build():
    torch.manual_seed(0)
    return BloomNet()


def main():
    from _twohundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = weeks(2304, g)
    print("bloom share", y.mean().item())
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    f = open(out / "bloom_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_bce", "val_bce", "val_acc"])
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        row = [epoch, round(tot / 2048, 4),
               round(F.binary_cross_entropy_with_logits(lv, yva).item(), 4),
               round(((lv > 0).float() == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20}, out / "bloom_net.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="bloom_net.pt", log="bloom_log.csv",
           what="10-hidden-layer sigmoid MLP warning of lagoon algal blooms from water-quality"
                " readings; SGD",
           complaint="Our bloom early-warning net just predicts no bloom for every week. Val accuracy is 0.7305 in all 20 epochs and the training loss sits at 0.59-0.60 from the first epoch to the last. The data has 28% bloom weeks and a logistic regression on the same features does fine. I went deeper (10 hidden layers) thinking it needed more capacity. What is going on?")


if __name__ == "__main__":
    main()
