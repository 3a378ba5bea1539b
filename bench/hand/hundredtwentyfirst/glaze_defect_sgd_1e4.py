"""Ceramics: predicting a glaze's firing defect (none, crawling, pinholing, crazing) from its
recipe and firing, 10 features: SiO2, Al2O3, B2O3, Na2O+K2O, CaO, MgO, ZnO (mole fractions of the
unity formula), application thickness (mm), peak temperature (°C) and cooling rate (°C/h),
standardised. The defect follows the potter's rules: crazing from high alkali and low silica
(thermal expansion above the body's), crawling from thick raw-clay-rich, high-MgO/ZnO glazes,
pinholing from fast cooling at low peak temperature; 3 % of the labels misread. An MLP 10 → 64 →
64 → 4, batch 32, 15 epochs of 2000 test tiles; a CSV log per epoch.
Bug: plain ``torch.optim.SGD(model.parameters(), lr=1e-4)`` (no momentum), the rate left from a
fine-tuning notebook: train loss 1.437 → 1.418 over 15 epochs, train accuracy 0.20 the whole run
(one class predicted), val accuracy 0.20, val loss 1.443 → 1.422. The control (SGD lr 0.05)
reaches train loss 0.26 and val accuracy 0.91–0.93."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFECTS = ["none", "crawling", "pinholing", "crazing"]
MEAN = torch.tensor([3.0, 0.35, 0.3, 0.25, 0.5, 0.15, 0.1, 0.6, 1240.0, 120.0])
STD = torch.tensor([0.6, 0.08, 0.15, 0.1, 0.15, 0.08, 0.06, 0.2, 25.0, 50.0])


def tiles(n, g):
    raw = MEAN + STD * torch.randn(n, 10, generator=g)
    z = (raw - MEAN) / STD
    craze = 1.4 * z[:, 3] - 1.2 * z[:, 0] - 0.5 * z[:, 2]
    crawl = 1.3 * z[:, 7] + 0.9 * z[:, 5] + 0.8 * z[:, 6]
    pin = 1.2 * z[:, 9] - 1.2 * z[:, 8]
    score = torch.stack([torch.full((n,), 1.3), crawl, pin, craze], 1)
    y = score.argmax(1)
    wrong = torch.rand(n, generator=g) < 0.03
    y = torch.where(wrong, torch.randint(0, 4, (n,), generator=g), y)
    return z, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _hundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tiles(2000, g)
    xva, yva = tiles(500, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=1e-4)
    f = open(out / "glaze_runs.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "TrainLoss", "TrainAcc", "ValLoss", "ValAcc"])
    for ep in range(1, 16):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        row = [ep, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
               round(F.cross_entropy(lo, yva).item(), 4), round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epochs": 15,
                "defects": DEFECTS}, out / "glaze_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"], checkpoint="glaze_mlp.ckpt",
           log="glaze_runs.csv",
           what="glaze-defect MLP, plain SGD without momentum at lr 1e-4",
           complaint="Trained my glaze defect classifier for 15 epochs and the loss went from 1.437 "
                     "to 1.418, basically flat. Accuracy is stuck at 0.20 on both train and "
                     "validation, it predicts the same defect for every tile.")


if __name__ == "__main__":
    main()
