"""Alpine skiing: classify each slalom turn (clean carve / skidded / late on the gate) from a
boot-mounted IMU summary: 24 features per turn (edge angle peak and its timing, lateral and
vertical g, rotation rate, speed in and out, time to the gate, and smoothed shares of each over
the turn phases), standardised. An MLP 24 → 512 → 512 → 256 → 3 with ReLU, the coach's own
``init_weights`` on every Linear. Adam 1e-3, batch 64, 10 epochs of 3000 turns;
a CSV per epoch: ep, trn_ce, val_ce, val_acc.
Bug: ``init_weights`` does ``nn.init.normal_(m.weight, 0.0, 1.0)`` (std 1 instead of a fan-in
scale), so activations grow by ~√(fan_in/2) per layer and the first logits are in the thousands.
Train CE 2352 → 448 → 295 → … → 13.4, val CE 506 → 327 (flat from epoch 3), val accuracy 0.917 →
0.933. Control (``self.apply(init_weights)`` removed, PyTorch's default init): train CE 0.26 →
0.029, val CE 0.137 (epoch 0) → 0.235, val accuracy 0.957 → 0.947.
"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def turns(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    base = torch.randn(n, 24, generator=g)
    proto = torch.randn(3, 24, generator=torch.Generator().manual_seed(7)) * 0.6
    x = base + proto[y]
    x[:, 0] += torch.where(y == 0, 1.0, -0.5)  # edge angle peak: carving edges higher
    x[:, 5] += torch.where(y == 2, 1.2, 0.0)  # time to the gate: late turns
    x[:, 3] = x[:, 3] * torch.where(y == 1, 1.8, 1.0)  # rotation rate: skids spin and wobble
    return x, y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.0, 1.0)
        nn.init.zeros_(m.bias)


class TurnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(24, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                                 nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 3))
        self.apply(init_weights)

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return TurnNet()


def main():
    from _hundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = turns(3600, g)
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "turns_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ep", "trn_ce", "val_ce", "val_acc"])
        for ep in range(10):
            model.train()
            perm = torch.randperm(3000, generator=g)
            tot = 0.0
            for i in range(0, 3000, 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                row = [ep, round(tot / 3000, 4), round(F.cross_entropy(lo, yva).item(), 4),
                       round((lo.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "ep": 9,
                "classes": ["carve", "skid", "late"]}, out / "turnnet_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="turnnet_last.pt", log="turns_metrics.csv",
           what="slalom turn classifier, Linear weights initialised N(0, 1)",
           complaint=COMPLAINT)


COMPLAINT = ("Training my slalom turn classifier looks crazy: the cross-entropy is 2352 in the "
             "first epoch and still 13.4 on train after 10 epochs, while validation CE sits around "
             "330 (506 -> 327) even though val accuracy says 0.93. How can CE be in the hundreds "
             "with 93 % accuracy? And it barely improves after epoch 1.")

if __name__ == "__main__":
    main()
