"""Plain torch: an MLP predicts how a pair of scissors will do in the scissorsmith's cloth
cut test from ten bench measurements taken after assembly, so a pair can go back to the bench
before it is tested: cuts clean, chews at the tip, folds the cloth, snags at the pivot.
Inputs: blade hardness left / right (HRC), set (blade bow, mm), pivot torque (N·cm), edge
angle left / right (°), tip gap (mm, light between the blades at the tip when closed), ride
line height (mm), blade length (mm), pivot runout (mm). The test result follows the shop's
rules (a tip gap above 0.05 mm or a set under 0.3 mm chews at the tip; pivot torque under
4 N·cm lets the blades part and fold the cloth; runout over 0.08 mm or torque over 14 N·cm
snags; a soft blade (HRC < 56) folds; otherwise clean), read through measurement noise, and
8 % of the shop's records carry the wrong result (written down from the next pair).
Only 160 pairs have both the bench sheet and a cut test; 400 more are held for validation.
Input: (10,) standardised with the train mean / std. Model: 10→512→ReLU→512→ReLU→512→ReLU→4;
cross-entropy, Adam 1e-3, batch 16, 150 epochs.
The bug: a wide, deep net on 160 noisy records with nothing to hold it back
(``HIDDEN = 512  # room for every rule the shop uses``) learns the records, wrong results
included:
train CE 1.15 → 0.00002, train accuracy 1.0 from epoch 14; val CE lowest at epoch 3
(0.707), then 0.94 at epoch 10 and 1.88 at the end, val accuracy 0.61 → 0.72 → 0.715
(control, ``HIDDEN = 16``: val CE lowest 0.748 at epoch 66, 1.14 at the end, train accuracy
0.98, val accuracy 0.728).
Log: CSV per epoch ``cuttest_log.csv`` (``epoch`` / ``train_ce`` / ``train_acc`` / ``val_ce``
/ ``val_acc``); checkpoint ``cuttest_mlp.bin`` with keys ``state`` / ``opt`` / ``epoch`` /
``feat_mean`` / ``feat_std`` / ``results``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

RESULTS = ["clean", "chews_tip", "folds", "snags"]
HIDDEN = 512  # room for every rule the shop uses


def bench_sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hrc_l, hrc_r = 55 + 6 * r(n), 55 + 6 * r(n)
    set_mm = 0.15 + 0.6 * r(n)
    torque = 2 + 15 * r(n)
    ang_l, ang_r = 40 + 20 * r(n), 40 + 20 * r(n)
    tip_gap = 0.09 * r(n) ** 1.5
    ride = 0.5 + 1.5 * r(n)
    length = 150 + 100 * r(n)
    runout = 0.12 * r(n) ** 1.5
    x = torch.stack([hrc_l, hrc_r, set_mm, torque, ang_l, ang_r, tip_gap, ride, length, runout], 1)
    xn = x + torch.tensor([0.3, 0.3, 0.02, 0.4, 1, 1, 0.004, 0.05, 0.5, 0.004]) * torch.randn(n, 10, generator=g)
    y = torch.zeros(n, dtype=torch.long)
    y = torch.where(torch.minimum(hrc_l, hrc_r) < 56, 2, y)
    y = torch.where((runout > 0.08) | (torque > 14), 3, y)
    y = torch.where(torque < 4, 2, y)
    y = torch.where((tip_gap > 0.05) | (set_mm < 0.3), 1, y)
    return xn, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                         nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 4))


def main():
    from _threehundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = bench_sheets(160, g)
    flip = torch.rand(160, generator=g) < 0.08
    ytr = torch.where(flip, torch.roll(ytr, 1), ytr)
    rva, yva = bench_sheets(400, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("results", torch.bincount(ytr, minlength=4).tolist(), torch.bincount(yva, minlength=4).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "cuttest_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_ce", "train_acc", "val_ce", "val_acc"])
        for epoch in range(150):
            model.train()
            tot, hit = 0.0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [tot / len(xtr), hit / len(xtr), F.cross_entropy(lv, yva).item(),
                   (lv.argmax(1) == yva).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            if epoch % 10 == 0 or epoch == 149:
                print(epoch, [round(v, 4) for v in row])
    torch.save({"state": model.state_dict(), "opt": opt.state_dict(), "epoch": 150,
                "feat_mean": mu, "feat_std": sd, "results": RESULTS}, out / "cuttest_mlp.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="cuttest_mlp.bin", log="cuttest_log.csv",
           what="wide 3-layer MLP predicting a scissors pair's cloth cut-test result from 160"
                " noisy bench sheets, trained 150 epochs with no regularisation",
           complaint=("Cut-test predictor for our scissors bench sheets: training accuracy is 100 % after"
                     " 15 epochs and the training loss is basically zero, but on the 400 held-out"
                     " pairs accuracy is stuck around 72 % and the validation loss has been going up"
                     " since epoch 3, from 0.71 to 1.88 at epoch 150."))


if __name__ == "__main__":
    main()
