"""Plain torch: an MLP grades split spruce billets for violin tops the way a fiddlemaker's
wood supplier does (A, AA, AAA, master), from the bench measurements taken on each billet:
density (kg/m³), longitudinal speed of sound from a tap test (m/s), rings per cm, spread of
the ring width (%), runout (degrees), moisture content (%) and the tap-tone damping (loss
factor × 1000). The grade follows the trade's rule: a high radiation ratio (speed / density),
even and moderately fine rings, low runout and low damping make a better top; the supplier's
score is cut into the four grades at fixed points, with a little disagreement between graders.
Input: (7,) standardised with the train mean / std. Model: 7→48→ReLU→48→ReLU→4;
cross-entropy, SGD 0.05 (Nesterov momentum 0.9), batch 48, 25 epochs, 1800 billets, the
first 1440 for training and the last 360 held out for validation.
The bug: the rows are mixed before the train / validation split with
``feats = feats[perm]  # mix the sawmill batches before the split``, and the grades are not
put through the same permutation, so each billet is trained on with another billet's grade:
train CE 1.305 → 1.196, val CE 1.27 → 1.31, val accuracy 0.33 → 0.37 (the share of the
commonest grade) (control, ``feats, grade = feats[perm], grade[perm]``: val CE 0.593 → 0.247,
val accuracy 0.73 → 0.89).
Log: CSV per epoch ``grading.csv`` (``epoch`` / ``train_ce`` / ``train_acc`` / ``val_ce`` /
``val_acc``); checkpoint ``tonewood_grader.pth`` with keys ``weights`` / ``sgd_state`` /
``epoch`` / ``feat_mean`` / ``feat_std`` / ``grade_names``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["A", "AA", "AAA", "master"]


def billets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    dens = 360 + 120 * r(n)
    speed = 4800 + 1700 * r(n) + 4.0 * (dens - 420)  # stiffer wood is a bit heavier
    rings = 5 + 25 * r(n)
    spread = 5 + 40 * r(n)
    runout = 4 * r(n) ** 2
    moist = 7 + 6 * r(n)
    damp = 6 + 6 * r(n) + 0.15 * (moist - 10)
    ratio = speed / dens  # radiation ratio, m⁴/(kg·s) scaled
    score = (3.0 * (ratio - 13.0) - 0.06 * (rings - 14).abs() - 0.05 * spread - 0.9 * runout
             - 0.35 * (damp - 9) + 0.35 * rn(n))
    grade = torch.bucketize(score, torch.tensor([-3.2, -1.6, 0.0]))
    feats = torch.stack([dens, speed, rings, spread, runout, moist, damp], 1)
    return feats, grade


class Grader(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(7, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 4))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return Grader()


def main():
    from _fourhundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    feats, grade = billets(1800, g)  # one sawmill batch after another, as logged at the bench
    print("grades", torch.bincount(grade).tolist())
    perm = torch.randperm(len(feats), generator=g)
    feats = feats[perm]  # mix the sawmill batches before the split
    n_tr = 1440
    mean, std = feats[:n_tr].mean(0), feats[:n_tr].std(0)
    x = (feats - mean) / std
    xtr, ytr, xva, yva = x[:n_tr], grade[:n_tr], x[n_tr:], grade[n_tr:]
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    with open(out / "grading.csv", "w") as log:
        log.write("epoch,train_ce,train_acc,val_ce,val_acc\n")
        for epoch in range(25):
            model.train()
            tot, hit, n = 0.0, 0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [tot / n, hit / n, F.cross_entropy(lv, yva).item(),
                   (lv.argmax(1) == yva).float().mean().item()]
            log.write(f"{epoch}," + ",".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 25,
                "feat_mean": mean, "feat_std": std, "grade_names": GRADES},
               out / "tonewood_grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="tonewood_grader.pth", log="grading.csv",
           what="MLP grading spruce tonewood billets (A / AA / AAA / master) from bench"
                " measurements; rows permuted before the split, grades not",
           complaint="My tonewood grading net will not get past 37 % on the held-out billets, "
                     "which is just what I get by calling everything A. Training loss crawls from "
                     "1.30 to 1.20 in 25 epochs and validation loss goes up a little. The "
                     "grades are from an experienced grader and the measurements are "
                     "careful; I tried a bigger network and it made no difference.")


if __name__ == "__main__":
    main()
