"""Plain torch: will a cruise segment leave a persistent contrail? 12 features per segment
(ambient temperature, pressure level, relative humidity over ice and water, specific humidity,
wind shear, vertical velocity, engine propulsive efficiency, fuel flow, Mach, latitude, hour),
standardised; the label comes from a Schmidt-Appleman-like threshold (cold enough and ice-
supersaturated) with 4 % label noise. MLP 12-64-64-1, BCE with logits, SGD 0.02 momentum 0.9,
batch 64, 2 400 segments, 10 epochs; per-epoch CSV log.
Broken: ``opt.zero_grad()`` was moved above the batch loop ("once per epoch is enough"), so
the gradients of the 38 batches of an epoch pile up in ``.grad`` and every step is taken
with the running sum: the steps grow through the epoch and the run blows up. Train BCE 0.69,
1.21, 0.85, 1.70, 3.34, 7.23, ... 3.68; valid BCE 1.15 → 10.02; valid accuracy flips between
0.74 and 0.26 (all "persistent" / all "none").
Control (``zero_grad()`` back in the batch loop): train BCE 0.56 → 0.26, valid BCE 0.50 → 0.27,
valid accuracy 0.74 → 0.91."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def segments(n, g):
    x = torch.randn(n, 12, generator=g)
    sac = -0.9 * x[:, 0] + 0.3 * x[:, 1] + 0.25 * x[:, 7]          # below the SA threshold
    issr = 1.1 * x[:, 2] + 0.4 * x[:, 4] - 0.3 * x[:, 5].abs()      # ice supersaturated
    y = ((sac > -0.2) & (issr > 0.1)).float()
    y = torch.where(torch.rand(n, generator=g) < 0.04, 1 - y, y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = segments(3000, g)
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    f = open(out / "contrail_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "TrainBCE", "ValBCE", "ValAccuracy"])
    for epoch in range(10):
        model.train()
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        opt.zero_grad()
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]).squeeze(1), ytr[idx])
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva).squeeze(1)
            row = [epoch + 1, round(tot / 2400, 4),
                   round(F.binary_cross_entropy_with_logits(lo, yva).item(), 4),
                   round(((lo > 0).float() == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "epochs_done": 10,
                "features": 12}, out / "contrail_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="contrail_mlp.ckpt", log="contrail_history.csv",
           what="contrail-persistence MLP, zero_grad once per epoch: gradients pile up",
           complaint="Contrail persistence model goes haywire: train BCE starts at 0.69, then 1.21, "
                     "1.70, 7.23 by epoch 6 and 3.68 at epoch 10, validation BCE ends at 10.0, and "
                     "validation accuracy just flips between 0.74 and 0.26 from epoch to epoch.")


if __name__ == "__main__":
    main()
