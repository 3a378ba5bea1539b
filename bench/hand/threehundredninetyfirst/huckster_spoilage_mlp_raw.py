"""Plain torch: an MLP tells a huckster at dawn whether a barrow-load of soft fruit bought at
the wholesale market will turn before he has cried it all off (binary: spoils / sells).
6 numbers from his barrow sheet, in the units he writes them: hours since picking (2-48),
air temperature (5-30 °C), relative humidity (40-95 %), firmness from a fruit penetrometer
(150-900 gf), weight of the load (4-40 kg, written in grams) and the walk to his pitch
(100-3000 m). The label follows a shelf-life rule: the fruit's remaining life is its
firmness-scaled life at 10 °C, shortened by a Q10 of 2.5 per 10 °C above it and by damp air,
less the hours since picking and the walk; it spoils if that is less than the hours he
needs to sell the load (weight over a sales rate that varies by day), with a little noise
on every reading.
Model: 6→64→ReLU→64→ReLU→1; BCE with logits, Adam 1e-3, batch 128, 25 epochs, 3000 loads,
validation on 600.
The bug: the barrow sheet goes into the net as written, ``xtr, xva = rtr, rva  # barrow
sheet numbers, as recorded``, the load in grams (4000-40000) and the walk in metres next to
humidity in % and temperatures of 5-30, nothing scaled: train loss 38 → 2.6 and jumping
between 2.6 and 18 from epoch to epoch, val BCE 15.4 → 2.11 (between 1.5 and 23.7), val
accuracy 0.45-0.70 (0.62 at the end), spoil recall swinging between 0.004 and 0.996
(control, standardised with the train mean / std: val BCE 0.54 → 0.104, accuracy 0.81 →
0.943, spoil recall 0.93).
Log: JSON lines per epoch ``barrow_log.jsonl`` (``ep`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_spoil_recall``); checkpoint ``barrow_mlp.tar`` with keys ``mlp`` /
``opt_state`` / ``epochs_done`` / ``columns``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["hours_since_picking", "air_c", "rh_pct", "firmness_gf", "load_g", "walk_m"]


def barrow_sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hours = 2 + 46 * r(n)
    air = 5 + 25 * r(n)
    rh = 40 + 55 * r(n)
    firm = 150 + 750 * r(n)
    load = 4000 + 36000 * r(n)
    walk = 100 + 2900 * r(n)
    life = 110 * firm / 500 * 2.5 ** (-(air - 10) / 10) * (1 - 0.5 * (rh - 40) / 55)
    left = life - hours - walk / 4000
    rate = 3000 * (0.7 + 0.6 * r(n))  # grams cried off an hour
    spoils = (left + 2 * torch.randn(n, generator=g) < load / rate).float()
    raw = torch.stack([hours, air, rh, firm, load, walk], 1)
    raw = raw * (1 + 0.01 * torch.randn(n, 6, generator=g))
    return raw, spoils.unsqueeze(1)


class BarrowNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return BarrowNet()


def main():
    from _threehundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = barrow_sheets(3000, g)
    rva, yva = barrow_sheets(600, g)
    print("spoil share", ytr.mean().item())
    xtr, xva = rtr, rva  # barrow sheet numbers, as recorded
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "barrow_log.jsonl", "w") as f:
        for ep in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            rec = {"ep": ep, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_spoil_recall": round(pred[yva == 1].mean().item(), 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"mlp": model.state_dict(), "opt_state": opt.state_dict(), "epochs_done": 25,
                "columns": COLUMNS}, out / "barrow_mlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="barrow_mlp.tar", log="barrow_log.jsonl",
           what="MLP telling a huckster whether a barrow-load of soft fruit spoils before it"
                " is sold; raw barrow-sheet numbers (grams, metres, %) fed in unscaled",
           complaint="Spoilage model for my fruit barrow: the training loss started at 38,"
                     " came down to about 3 and then jumps around between 2.5 and 18 from one"
                     " epoch to the next. Validation accuracy goes up and down between 45 % and"
                     " 70 % and one epoch it says every load spoils, the next that none do."
                     " 40 % of the loads really spoil, so it is barely better than guessing.")


if __name__ == "__main__":
    main()
