"""Classifying fish schools in a pelagic acoustic survey from the split-beam echosounder: each
school (detected by the school-detection module on the echogram) is summarised by its mean
volume backscattering Sv at 18, 38, 70, 120 and 200 kHz, the frequency responses r(f) = Sv(f) −
Sv(38), its depth, height, length, mean and max Sv, skewness, rugosity, the bottom depth and the
hour (sin/cos) — 20 features, standardised — and labelled from trawl catches as herring,
sprat, mackerel (no swim bladder, weak at 38 kHz) or krill (rising with frequency); 5 % of
labels are wrong (mixed hauls). A wide MLP 20 → 512 → 512 → 512 → 4 with ReLU. Adam 1e-3, batch
64, 12 epochs of 2000 schools; a CSV per epoch with train loss, val loss, val accuracy.
Bug: the author's ``init_weights`` (kept from a small NumPy prototype) draws every Linear weight
from ``nn.init.normal_(w, mean=0.0, std=1.0)``: on 512-wide layers each layer multiplies the
activation scale by ~16, the logits start in the thousands and the loss with them. Train loss
5233 → 1537 → … → 102 at epoch 12, val loss 1872 → 1026 (epoch 11) → 1081,
val accuracy 0.80–0.85 (0.81 at the end). Control (PyTorch's default init, the ``apply`` line
removed): train loss 0.62 → 0.18, val loss 0.38 → 0.29–0.33, val accuracy 0.91 → 0.93."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["herring", "sprat", "mackerel", "krill"]
FREQS = [18, 38, 70, 120, 200]


def schools(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    response = torch.tensor([[1.0, 0.0, -1.0, -2.0, -3.0],     # herring: swim bladder, falls
                             [-1.0, 0.0, 0.0, -0.5, -1.5],     # sprat: small bladder
                             [-6.0, 0.0, 4.0, 6.0, 7.0],       # mackerel: weak low, rises
                             [-12.0, 0.0, 6.0, 10.0, 12.0]])   # krill: fluid-like, steep rise
    sv38 = torch.tensor([-45.0, -50.0, -58.0, -62.0])[y] + 4 * torch.randn(n, generator=g)
    sv = sv38[:, None] + response[y] + 2.5 * torch.randn(n, 5, generator=g)
    depth = torch.tensor([80.0, 40.0, 60.0, 120.0])[y] + 25 * torch.randn(n, generator=g)
    height = torch.tensor([12.0, 6.0, 15.0, 20.0])[y] * (0.5 + torch.rand(n, generator=g))
    length = torch.tensor([150.0, 60.0, 200.0, 400.0])[y] * (0.4 + torch.rand(n, generator=g))
    hour = torch.rand(n, generator=g) * 24
    feats = torch.cat([sv, sv - sv[:, 1:2], depth[:, None], height[:, None], length[:, None],
                       sv.mean(1, keepdim=True), sv.amax(1, keepdim=True),
                       torch.randn(n, 2, generator=g), (depth + 40 * torch.rand(n, generator=g))[:, None],
                       torch.sin(hour / 24 * 6.283)[:, None], torch.cos(hour / 24 * 6.283)[:, None]], 1)
    feats = feats[:, [i for i in range(20) if i != 6]]  # r(38) is 0 by definition: dropped
    wrong = torch.rand(n, generator=g) < 0.05
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return feats, y


class SchoolMLP(nn.Module):
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
    return SchoolMLP()


def main():
    from _hundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = schools(2500, g)
    mu, sd = x[:2000].mean(0), x[:2000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "schools_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "TrainLoss", "ValLoss", "ValAcc"])
    for ep in range(1, 13):
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
                "epoch": 12, "species": SPECIES, "freqs_khz": FREQS,
                "feature_mean": mu, "feature_std": sd}, out / "school_classifier.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="school_classifier.pth", log="schools_metrics.csv",
           what="wide MLP classifying echosounder fish schools, every Linear weight drawn "
                "from N(0, 1)",
           complaint="The school classifier's loss is absurd: 5233 after the first epoch and still "
                     "around 100 at epoch 12, validation loss over 1000 the whole time. Validation "
                     "accuracy is stuck at 0.80-0.85. Are my echosounder features broken?")


if __name__ == "__main__":
    main()
