"""Coating-failure classifier for a buried gas pipeline's cathodic-protection survey: one row
per 100-m segment from a close-interval potential survey — ON and instant-OFF pipe-to-soil
potentials (mV vs Cu/CuSO4), soil resistivity (log Ω·m), rectifier current density, depth of
cover, soil pH, years since the last coating repair, distance to the nearest AC power line,
crossing count, water-table flag — 10 features, standardised; the label is whether the
segment's excavation found disbonded coating / active corrosion (about 40 % of the dug
segments). A deep tanh MLP (10 hidden layers of 64) with a sigmoid output, BCE, SGD lr 0.05
momentum 0.9, batch 64, 30 epochs of 2000 segments; a CSV log per epoch.
Bug: the weights are initialised with ``nn.init.normal_(m.weight, std=0.01)`` (copied from a
shallow logistic model's code): through 10 tanh layers the signal and the backward gradient
shrink at every layer, so the first layer's gradient norm is ~5e-12 against ~1e-3 at the
output layer (1e-8–1e-9 times), and the loss sits at the base rate: train BCE 0.681 → 0.675,
val accuracy 0.5917 at all 30 epochs (always "no failure"). The control reaches val accuracy
0.90 (val BCE 0.36, train BCE 0.09: it over-fits a little by epoch 30). (The control uses ``nn.init.xavier_normal_(m.weight,
gain=5 / 3)``.)"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def survey(n, g):
    x = torch.randn(n, 10, generator=g)
    off = x[:, 1]          # instant-OFF potential, standardised (higher = less protected)
    z = (1.4 * off + 0.8 * x[:, 2] * (off > -0.5).float() - 0.7 * x[:, 3] + 0.6 * x[:, 6]
         + 0.5 * torch.tanh(2 * x[:, 7]) - 0.4 * x[:, 5] + 0.3 * x[:, 8] - 0.4)
    y = (z + 0.5 * torch.randn(n, generator=g) > 0).float()
    return x, y


class DeepCP(nn.Module):
    def __init__(self, depth=10, width=64):
        super().__init__()
        dims = [10] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(dims[i], dims[i + 1]) for i in range(depth))
        self.out = nn.Linear(width, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        for lin in self.hidden:
            x = torch.tanh(lin(x))
        return self.out(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return DeepCP()


def main():
    from _hundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = survey(2000, g)
    xva, yva = survey(600, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    f = open(out / "cp_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_bce", "val_bce", "val_accuracy", "grad_first_layer",
                "grad_last_layer"])
    for epoch in range(30):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            g0 = model.hidden[0].weight.grad.norm().item()
            g1 = model.out.weight.grad.norm().item()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch + 1, round(tot / len(xtr), 5),
                   round(F.binary_cross_entropy_with_logits(lo, yva).item(), 5),
                   round(((lo > 0).float() == yva).float().mean().item(), 4),
                   f"{g0:.3e}", f"{g1:.3e}"]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "features": 10}, out / "cp_mlp_epoch30.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="cp_mlp_epoch30.pt", log="cp_training.csv",
           what="10-layer tanh MLP with N(0, 0.01) init under SGD on a cathodic-protection survey",
           complaint="Deep MLP for predicting coating failure from our CP survey does not learn at "
                     "all. 30 epochs, training BCE stays at 0.675-0.68, validation accuracy is 0.5917 "
                     "every single epoch (that is just the share of good segments). I logged the "
                     "gradient of the first layer and it is ~5e-12 while the output layer gets ~1e-3.")


if __name__ == "__main__":
    main()
