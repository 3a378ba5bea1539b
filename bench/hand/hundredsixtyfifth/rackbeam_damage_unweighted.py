"""Plain torch: rack-beam damage from the forklift impact-sensor summary. Each record is one
beam inspection window: 16 features (peak accel, impact count, beam deflection from a laser
gauge, upright plumb offsets, …, standardised); 2 % of the beams are damaged (a dent shifts a
few features by about 0.9 σ with noise). An MLP 16 → 32 → 32 → 1 with plain
``BCEWithLogitsLoss()`` (no ``pos_weight``, no resampling), Adam 1e-3, batch 256, 15 epochs of
8192 windows. Checkpoint ``{"model", "optimizer", "epoch", "threshold"}``; CSV log
(``epoch,train_bce,val_bce,val_acc,val_recall_damaged``).
Broken: class imbalance, the damaged class is never predicted. Run: train BCE 0.681 → 0.081, val
BCE 0.090, val acc 0.977 (the healthy share of the validation beams) from epoch 1, damaged
recall 0.0 in all 15 epochs. Control (``pos_weight=49``): val acc 0.81, damaged recall 0.79."""
import csv

import torch
from torch import nn


def windows(n, g):
    y = (torch.rand(n, generator=g) < 0.02).float()
    x = torch.randn(n, 16, generator=g)
    shift = torch.tensor([0.9, 0.8, 0.9, 0.6, 0.5] + [0.0] * 11)
    x = x + y[:, None] * shift
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))


def main():
    from _hundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(8192, g)
    xva, yva = windows(4096, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = nn.BCEWithLogitsLoss()
    with open(out / "metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_bce", "val_bce", "val_acc", "val_recall_damaged"])
        for ep in range(15):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot = 0.0
            for i in range(0, len(xtr), 256):
                idx = perm[i:i + 256]
                loss = lossf(model(xtr[idx]).squeeze(1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva).squeeze(1)
            pred = (lv > 0).float()
            rec = (pred[yva == 1] == 1).float().mean().item()
            w.writerow([ep + 1, f"{tot / len(xtr):.5f}", f"{lossf(lv, yva).item():.5f}",
                        f"{(pred == yva).float().mean().item():.4f}", f"{rec:.4f}"])
            print(ep + 1, tot / len(xtr), lossf(lv, yva).item(), (pred == yva).float().mean().item(), rec)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "threshold": 0.5}, out / "rackbeam_mlp.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["class_imbalance"],
           checkpoint="rackbeam_mlp.pt", log="metrics.csv",
           what="rack-beam damage MLP, 2 % damaged, unweighted BCE",
           complaint=("Rack-beam damage model reports 97.7 % validation accuracy after 15 epochs (val BCE 0.090) but in the shadow test it has not flagged a single damaged beam: recall on the damaged class is 0.0 every epoch. The safety team does not trust the 97.7 %."))


if __name__ == "__main__":
    main()
