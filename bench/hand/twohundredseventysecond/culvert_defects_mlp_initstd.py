"""Plain torch: an MLP flags which of 4 defects a culvert inspection will find (multi-label:
sediment blockage, joint separation, invert corrosion, outlet scour) from 10 numbers in the
asset register and the last survey: age (years), barrel material (concrete / corrugated steel,
0/1), diameter (m), slope (%), length (m), peak flow ratio (design storm flow over barrel
capacity), catchment sediment index, soil pH, road traffic (1000 vehicles/day) and fill depth
over the barrel (m). Sediment builds on flat slopes with a sediment-rich catchment; joints
open with age, traffic and shallow fill; corrosion eats steel barrels in acid soil with age;
scour follows high outlet velocity (steep slope, high flow ratio). Labels drawn from those
odds. Standardised.
Linear 10→256-Tanh-256→256-Tanh-256→256-Tanh-256→4, BCEWithLogits, SGD 0.02 momentum 0.9,
batch 128, 15 epochs of 3000 culverts, validation on 800 (val BCE, val micro-F1, mean val
AUC over the 4 defects).
The bug: ``build()`` re-initialises every Linear with ``nn.init.normal_(m.weight, mean=0.0,
std=1.0)  # unit-variance weights to match the standardised inputs``: with 256 inputs to a unit
the pre-activations have std about 16, every Tanh is saturated at +-1 and the logits come out
in the tens (first-step BCE 6.03). Result (logged train BCE, mean of the first / last epoch)
train BCE 5.50 → 0.52, val BCE 3.95 → 2.34 (4.5x the train BCE at the end), val micro-F1
0.352 → 0.377, mean val AUC 0.583 → 0.641.
Control (``nn.init.xavier_uniform_(m.weight)`` instead): first-step BCE 0.696, train BCE 0.606
→ 0.427, val BCE 0.439 → 0.405, val micro-F1 0.390 → 0.434, mean val AUC 0.787 → 0.786.
Logs: CSV every 8 steps ``steps.csv`` (``step`` / ``bce`` / ``lr``) and a separate CSV per
epoch ``val.csv`` (``epoch`` / ``val_bce`` / ``val_f1`` / ``val_auc``, the file named as the
log in the truth); checkpoint ``defects_mlp.pt`` with keys ``model_state`` /
``optimizer_state`` / ``epoch`` / ``defects`` / ``feat_mean`` / ``feat_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DEFECTS = ["sediment", "joint_separation", "invert_corrosion", "outlet_scour"]


def culverts(n, g):
    def u(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=g)
    age, steel, diam, slope = u(2, 80), (torch.rand(n, generator=g) < 0.4).float(), u(0.4, 2.4), u(0.1, 6)
    length, flow, sed, ph = u(8, 60), u(0.2, 1.6), u(0, 1), u(4.5, 8.5)
    traffic, fill = u(0.2, 30), u(0.3, 6)
    logits = torch.stack([
        -1.0 - 0.6 * slope + 3.0 * sed + 0.8 * (diam < 0.9).float(),
        -3.0 + 0.035 * age + 0.05 * traffic - 0.4 * fill,
        -4.0 + steel * (0.05 * age + 1.2 * (6.5 - ph)),
        -2.5 + 0.45 * slope + 1.8 * (flow - 0.8)], 1)
    y = (torch.rand(n, 4, generator=g) < torch.sigmoid(logits)).float()
    x = torch.stack([age, steel, diam, slope, length, flow, sed, ph, traffic, fill], 1)
    return x, y


def auc(s, y):
    r = s.argsort().argsort().float() + 1
    pos = y.sum()
    return ((r[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


def build():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(10, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(),
                        nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 4))
    for m in net.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=1.0)  # unit-variance weights to match the standardised inputs
            nn.init.zeros_(m.bias)
    return net


def main():
    from _twohundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = culverts(3000, g)
    rva, yva = culverts(800, g)
    print("defect shares", ytr.mean(0).tolist())
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    step = 0
    with open(out / "steps.csv", "w", newline="") as fs, open(out / "val.csv", "w", newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        ws.writerow(["step", "bce", "lr"])
        wv.writerow(["epoch", "val_bce", "val_f1", "val_auc"])
        for epoch in range(15):
            model.train()
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 8 == 0:
                    ws.writerow([step, round(loss.item(), 5), 0.02])
                step += 1
            model.eval()
            with torch.no_grad():
                s = model(xva)
            p = (s > 0).float()
            tp = (p * yva).sum()
            f1 = (2 * tp / (p.sum() + yva.sum())).item()
            row = [epoch, round(F.binary_cross_entropy_with_logits(s, yva).item(), 5),
                   round(f1, 5), round(sum(auc(s[:, k], yva[:, k]) for k in range(4)) / 4, 5)]
            print(row)
            wv.writerow(row)
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 14, "defects": DEFECTS, "feat_mean": mu, "feat_std": sd},
               out / "defects_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="defects_mlp.pt", log="val.csv",
           what="culvert defect multi-label MLP with N(0, 1) weights in 256-wide Tanh layers",
           complaint=COMPLAINT)


COMPLAINT = ("We trained an MLP on our culvert register to predict which defects the next "
             "inspection will find. The first epoch's loss is huge (over 4 for a 4-label BCE) "
             "and even after it comes down the validation BCE stays far above the training "
             "BCE and the AUCs barely beat a simple logistic regression we had before. Most "
             "of the predicted probabilities are 0.00 or 1.00. Is the register data just too noisy?")

if __name__ == "__main__":
    main()
