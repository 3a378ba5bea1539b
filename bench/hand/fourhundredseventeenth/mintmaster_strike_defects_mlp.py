"""Plain torch: an MLP flags the defects the mintmaster's inspectors will find on a struck
coin from the press log of its strike, so the press can be stopped before a bad run: four
flags at once (multi-label) — weak strike, rim crack, off-centre, die clash marks. 7 inputs
per inspected coin: blank hardness (HV), press force (kN), blank thickness (mm), blank
temperature (°C), feed rate (coins per minute), strikes on the die so far (thousands),
lubricant film (µm). The inspectors' rules: weak strike when the force is short of what the
hardness and thickness need, rim crack when a hard blank is struck too hard (above about
125 HV and 1.9 kN per HV), off-centre when the feeder runs fast on a cold, thin blank, die
clash marks when a worn die (over 110 thousand strikes) runs dry; a little label noise.
The log covers half a year: the dies are changed every 150 thousand strikes, summer warms the
blanks, and in the last six weeks the blanks come from a new cupronickel supplier, annealed
harder (118-140 HV instead of 95-120), and the setters raise the force to match.
Input: (7,) standardised with the train mean / std. Model: 7→96→ReLU→96→ReLU→4 logits;
BCEWithLogitsLoss, Adam 1e-3, batch 64, 20 epochs, 4000 inspected coins (3200 train, 800
validation).
The bug: the split keeps the log in strike order, ``order = torch.arange(len(x))  # keep
the press log in strike order, last fifth for validation``, so validation is the last five
weeks — all new-supplier blanks, harder than anything in training, and the only coins with
nearly all the rim cracks (130 of 800, against 69 in the 3200 training coins, mostly
label-noise flips); the net never saw a blank that hard: train BCE 0.394 → 0.130, val BCE 0.680 →
0.415, val macro F1 0.0 → 0.35, rim-crack recall 0.0 every epoch, off-centre recall 0.01
(control, ``order = torch.randperm(len(x), generator=g)``: train BCE 0.413 → 0.142, val BCE
0.328 → 0.174, macro F1 0.0 → 0.67, rim-crack recall 0.37, off-centre 0.44).
Log: JSON lines per epoch ``press_fit.jsonl`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_macro_f1`` / ``val_recall`` per flag); checkpoint ``defect_flags.ckpt`` with keys
``mlp`` / ``adam_state`` / ``epochs_done`` / ``feat_mu`` / ``feat_sigma`` / ``flags``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FLAGS = ["weak_strike", "rim_crack", "off_centre", "die_clash"]


def press_log(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.sort(r(n)).values  # time of the strike over the half year
    new_supplier = (t > 0.78).float()
    hard = torch.where(new_supplier > 0, 118 + 22 * r(n), 95 + 25 * r(n))
    thick = 1.55 + 0.1 * r(n)
    force = hard * (1.62 + 0.36 * r(n)) * (thick / 1.6)
    temp = 18 + 12 * torch.sin(3.1416 * t) + 4 * r(n)
    feed = 550 + 250 * r(n)
    die = (t * 1000 + 20 * r(n)) % 150
    lube = 0.5 + 2.5 * r(n)
    weak = force < 1.7 * hard * (thick / 1.6) ** 1.5
    rim = (hard > 125) & (force / hard > 1.9)
    off = (feed > 700) & (temp < 24) & (thick < 1.6)
    clash = (die > 110) & (lube < 1.2)
    y = torch.stack([weak, rim, off, clash], 1).float()
    flip = r(n, 4) < 0.02
    y = torch.where(flip, 1 - y, y)
    return torch.stack([hard, force, thick, temp, feed, die, lube], 1), y


class DefectNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(7, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(),
                                 nn.Linear(96, 4))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return DefectNet()


def main():
    from _fourhundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = press_log(4000, g)
    order = torch.arange(len(x))  # keep the press log in strike order, last fifth for validation
    tr, va = order[:3200], order[3200:]
    mu, sigma = x[tr].mean(0), x[tr].std(0)
    xtr, xva = (x[tr] - mu) / sigma, (x[va] - mu) / sigma
    ytr, yva = y[tr], y[va]
    print("train positives", ytr.sum(0).tolist(), "val positives", yva.sum(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "press_fit.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            tot, cnt = 0.0, 0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            tp = (pred * yva).sum(0)
            f1 = 2 * tp / (pred.sum(0) + yva.sum(0)).clamp(min=1)
            rec = tp / yva.sum(0).clamp(min=1)
            row = {"epoch": epoch, "train_bce": round(tot / cnt, 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_macro_f1": round(f1.mean().item(), 6)}
            row.update({f"val_recall_{k}": round(v, 6) for k, v in zip(FLAGS, rec.tolist())})  # noqa: B905
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"mlp": model.state_dict(), "adam_state": opt.state_dict(), "epochs_done": 20,
                "feat_mu": mu, "feat_sigma": sigma, "flags": FLAGS}, out / "defect_flags.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="defect_flags.ckpt", log="press_fit.jsonl",
           what="MLP flagging struck-coin defects (multi-label) from the mint's press log;"
                " split in strike order, so validation is all new-supplier blanks unseen in"
                " training",
           complaint="My coin defect model trains nicely, training loss from 0.39 down to"
                     " 0.13, but on the held-out coins the loss stays around 0.4 and it"
                     " never flags a single rim crack (recall 0 for all 20 epochs) although"
                     " 130 of the 800 held-out coins have one. Off-centre recall is ~1 %."
                     " Why does it work on train and not on validation?")


if __name__ == "__main__":
    main()
