"""Sorting the catch of a tuna longliner from its electronic-monitoring (EM) system for the
bycatch report: each animal brought up to the rail is measured by the EM pipeline — length,
estimated weight, body depth / length, fin-to-length ratios, four colour statistics of the
segmented body (dorsal/ventral brightness and hue), hook depth (from the branch-line time-depth
recorder), soak time, sea-surface temperature, the hour (sin/cos) and the set's distance to the
shelf edge — 19 features, standardised — and labelled by the observer as target tuna, blue shark,
sea turtle or seabird (the last three are the bycatch); 5 % of labels are wrong (observer slips
on grainy footage). A wide MLP 19 → 512 → 512 → 512 → 4 with ReLU. Adam 1e-3, batch 64, 6
epochs of 2000 animals; a CSV per epoch with train loss, val loss, val accuracy.
Bug: the author's ``init_weights`` (kept from a small NumPy prototype) draws every Linear weight
from ``nn.init.normal_(w, mean=0.0, std=1.0)``: on 512-wide layers each layer multiplies the
activation scale by ~16, the logits start in the thousands and the loss with them. Train loss
5038 → 1900 → 1293 → 919 → 666 → 505, val loss 2532 → 1434, val accuracy 0.79–0.87 (0.834 at
the end). Control (PyTorch's default init, the ``apply`` line removed): train loss 0.54 → 0.27,
val loss 0.37–0.40, val accuracy 0.906–0.928 (0.928 at the end).
"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["tuna", "blue_shark", "sea_turtle", "seabird"]


def em_catch(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    means = torch.tensor([
        # len  wt  depth  fin1  fin2  dorsal ventral hue1 hue2 hookd soak  sst  dshelf
        [1.3, 1.0, 0.28, 0.20, 0.15, 0.30, 0.80, 0.60, 0.20, 1.0, 0.0, 0.3, 0.5],
        [1.6, 0.6, 0.16, 0.12, 0.30, 0.45, 0.70, 0.55, 0.10, 0.4, 0.2, 0.0, 0.2],
        [0.9, 0.8, 0.55, 0.40, 0.05, 0.35, 0.55, 0.25, 0.40, -0.6, -0.2, 0.6, -0.3],
        [0.4, -1.5, 0.30, 0.70, 0.02, 0.25, 0.90, 0.10, 0.05, -1.2, 0.5, -0.2, 0.0]])
    x = means[y] + torch.tensor([0.3, 0.5, 0.05, 0.08, 0.06, 0.1, 0.1, 0.12, 0.1, 0.6, 0.8, 0.8, 1.0]) \
        * torch.randn(n, 13, generator=g)
    hour = torch.rand(n, generator=g) * 24
    x = torch.cat([x, torch.sin(hour / 24 * 6.283)[:, None], torch.cos(hour / 24 * 6.283)[:, None],
                   torch.randn(n, 4, generator=g)], 1)  # 4 EM QA channels with no signal
    wrong = torch.rand(n, generator=g) < 0.05
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class CatchMLP(nn.Module):
    def __init__(self, n_in=19, width=512):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_in, width), nn.ReLU(), nn.Linear(width, width),
                                    nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                                    nn.Linear(width, 4))
        self.apply(self.init_weights)

    @staticmethod
    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=1.0)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.layers(x)


def build():
    torch.manual_seed(0)
    return CatchMLP()


def main():
    from _hundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = em_catch(2500, g)
    mu, sd = x[:2000].mean(0), x[:2000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "em_catch_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "TrainLoss", "ValLoss", "ValAcc"])
    for ep in range(1, 7):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [ep, round(tot / len(xtr), 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 6, "classes": SPECIES,
                "feature_mean": mu, "feature_std": sd}, out / "bycatch_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="bycatch_mlp.pth", log="em_catch_metrics.csv",
           what="wide MLP sorting longline catch (tuna / bycatch) from EM features, every Linear "
                "weight drawn from N(0, 1)",
           complaint="The bycatch classifier's loss is absurd: 5038 after the first epoch and still "
                     "505 after epoch 6, validation loss 2532 falling only to 1434. Validation "
                     "accuracy goes up and down between 0.79 and 0.87. Are my EM features broken?")


if __name__ == "__main__":
    main()
