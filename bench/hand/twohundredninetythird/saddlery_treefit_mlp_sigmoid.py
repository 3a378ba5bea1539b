"""Plain torch: a multi-label MLP flags how a saddle will sit on a horse, from the saddle fitter's
wither tracings (a flexicurve laid over the withers at 5 cm and 15 cm below the top and
along the back) and the saddle tree's measurements, before the saddle is taken out to the
yard: 0 tree too narrow (the points pinch: tree angle more than 3° tighter than the horse at
the 15 cm tracing), 1 tree too wide (the gullet sits down on the withers: tree angle more than
4° wider than the horse, or a wither clearance under 2.5 cm), 2 bridging (the panels touch at
front and back only: the back is 8 mm or more more curved than the tree's rock), 3 rocking
(the tree's rock is 8 mm or more more curved than the back). Wither clearance comes from the
gullet width against the 5 cm tracing and the wither height.
Input: 8 standardised numbers (horse angle at 5 and 15 cm, wither height, back curve over 40
cm, tree angle, gullet width, tree rock, panel flocking); targets 4 × 0/1.
ReLU MLP 8→64→64→4; BCE with logits, Adam 1e-3, batch 64, 20 epochs, 2000 fittings,
validation on 500.
Bug: the net's output is put through ``torch.sigmoid`` (``# probabilities, the fitter reads
these``) and that is what goes into ``BCEWithLogitsLoss``, which applies the sigmoid a second
time: every probability p in (0, 1) becomes sigmoid(p) in (0.5, 0.73), so a "no" can never
cost less than ln 2 = 0.693 and a "yes" never less than 0.313, and the gradient through two
sigmoids is small. Control (``logits = model(xb)``, one-line sed): train BCE 0.634 → 0.080,
val BCE 0.576 → 0.094, val accuracy (per label) 0.727 → 0.961, all 4 right 0.246 → 0.848.
With the bug: train BCE 0.781 → 0.625 and flat from epoch 12 (the floor of the double
sigmoid), val BCE on the raw logits 0.604 → 1.47 (epoch 7) → 1.34, val accuracy 0.669 →
0.859, all 4 right 0.122 → 0.502; at the end bridging and rocking are never flagged (0 of
the true cases found, accuracy 0.784 on each = their absence rate), too narrow / too wide
found 0.90 / 0.87.
Log: CSV per epoch ``fit_log.csv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``val_exact``); checkpoint ``treefit_mlp.pt`` with keys ``state_dict`` / ``optimizer`` /
``epoch`` / ``labels``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["too_narrow", "too_wide", "bridging", "rocking"]


def fittings(n, g):
    def r(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=g)

    horse5 = r(80, 110)
    horse15 = horse5 + r(-6, 12)
    wither = r(3, 9)
    back = r(10, 40)
    tree = horse15 + 8 * torch.randn(n, generator=g)
    gullet = r(9, 16)
    rock = back + 10 * torch.randn(n, generator=g)
    flock = r(0, 1)
    clearance = gullet / 2 - (110 - horse5) / 10 - wither / 3 + flock
    y = torch.stack([tree - horse15 < -3, (tree - horse15 > 4) | (clearance < 2.5),
                     back - rock >= 8, rock - back >= 8], 1).float()
    x = torch.stack([horse5, horse15, wither, back, tree, gullet, rock, flock], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _twohundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fittings(2000, g)
    xva, yva = fittings(500, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("label rates", ytr.mean(0).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    crit = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "fit_log.csv", "w")
    log.write("epoch,bce,val_bce,val_acc,val_exact\n")
    for epoch in range(20):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            logits = torch.sigmoid(model(xb))  # probabilities, the fitter reads these
            loss = crit(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            z = model(xva)
            vb = crit(z, yva).item()
            hit = (z > 0).float() == yva
        row = (f"{epoch},{tot / len(xtr):.5f},{vb:.5f},{hit.float().mean().item():.4f},"
               f"{hit.all(1).float().mean().item():.4f}")
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 20,
                "labels": LABELS}, out / "treefit_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_input_wrong"],
           checkpoint="treefit_mlp.pt", log="fit_log.csv",
           what="multi-label MLP flagging saddle-tree fit problems; sigmoid outputs fed to"
                " BCEWithLogitsLoss",
           complaint="We trained a small net to flag saddle fit problems (too narrow, too wide,"
                     " bridging, rocking) from our wither tracings. The training loss will not go"
                     " below about 0.63 no matter how long it runs, and the validation numbers"
                     " look nothing like the training loss. It gets the easy ones right but"
                     " misses a lot of the bridging and rocking saddles our fitters catch by"
                     " eye.")


if __name__ == "__main__":
    main()
