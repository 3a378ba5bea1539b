"""Plain torch: an MLP grades the meat yield of a sack of winkles (% of the live weight that
comes out as cooked meat, what the processor pays the winkle-picker on) from 15 numbers on
the buyer's docket: shore (one-hot of 4), month as sin / cos, share of large / medium
winkles from the riddle, days held in the store pond, sea temperature on the day, sack
weight (kg), grit score (0-3), and three the processor records that do not matter (tide
height at picking, hour of weighing, van number). The yield follows the processor's
experience: large winkles and the summer months carry more meat, winkles that spawned
(spring) and ones held long in the pond lose condition, gritty sacks weigh heavy for their
meat, the mussel-bed shore gives fat winkles, + lab noise (sd 0.6 %); the grade is the
processor's price band on it (A 19 % and up, B 16.5-19 %, C under 16.5 %). Only 140 sacks
have had a yield test.
Input: (15,) standardised with the train mean / std; class ids 0-2. Model:
15→256→ReLU→256→ReLU→256→ReLU→3; cross-entropy, Adam 1e-3, batch 14, 300 epochs on the
140 tested sacks, validation on 200 sacks tested later.
The bug: 200 k parameters and 300 epochs with nothing to hold them on 140 sacks: the net
learns the 140 grades by heart (train accuracy 1.0 from epoch 10, train CE 5e-6 at the end)
while the val CE bottoms at 0.553 at epoch 3 and climbs all the way to 1.81 (1.33 at epoch
50, 1.50 at 100), val accuracy 0.765 at epoch 3 and 0.77-0.78 after: the grades come out
no better and the probabilities the processor reads are badly over-confident (control,
``EPOCHS = 4``, stopping at the val CE minimum: val CE 0.553, val accuracy 0.765).
Log: CSV per epoch ``yield_fit.csv`` (``epoch`` / ``train_ce`` / ``train_acc`` / ``val_ce``
/ ``val_acc``); checkpoint ``meat_yield.pt`` with keys ``mlp`` / ``adam`` / ``epoch`` /
``mu`` / ``sd`` / ``grades``."""
import csv
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 300  # the training loss is still going down at 100
GRADES = ["A (19 % and up)", "B (16.5-19 %)", "C (under 16.5 %)"]
HIDDEN = 256  # plenty of room for the shore / season interactions


def sacks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    shore = torch.randint(0, 4, (n,), generator=g)
    month = torch.randint(0, 12, (n,), generator=g).float()
    large = 0.1 + 0.5 * r(n)
    medium = (1 - large) * (0.3 + 0.5 * r(n))
    held = 10 * r(n) ** 2
    temp = 10 + 5 * torch.sin(2 * math.pi * (month - 4) / 12) + r(n)
    weight = 20 + 10 * r(n)
    grit = torch.randint(0, 4, (n,), generator=g).float()
    tide, hour, van = 0.5 + 3 * r(n), 6 + 10 * r(n), torch.randint(1, 4, (n,), generator=g).float()
    pct = (16 + 6 * large + 2 * medium + 1.5 * torch.sin(2 * math.pi * (month - 5) / 12)
           - 1.5 * ((month >= 2) & (month <= 4)).float() - 0.25 * held - 0.6 * grit
           + torch.tensor([0.0, 0.5, 1.8, -0.7])[shore] + 0.6 * torch.randn(n, generator=g))
    x = torch.cat([nn.functional.one_hot(shore, 4).float(),
                   torch.stack([torch.sin(2 * math.pi * month / 12), torch.cos(2 * math.pi * month / 12),
                                large, medium, held, temp, weight, grit, tide, hour, van], 1)], 1)
    grade = (pct < 19).long() + (pct < 16.5).long()  # 0 = A, 1 = B, 2 = C
    return x, grade


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(15, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                         nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 3))


def main():
    from _threehundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = sacks(140, g)
    rva, yva = sacks(200, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("grades", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=14, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "yield_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_ce", "train_acc", "val_ce", "val_acc"])
        for epoch in range(EPOCHS):
            model.train()
            tot, hit = 0.0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = nn.functional.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [tot / len(xtr), hit / len(xtr), nn.functional.cross_entropy(pred, yva).item(),
                   (pred.argmax(1) == yva).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            if epoch % 5 == 0 or epoch == EPOCHS - 1:
                print(epoch, row)
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epoch": EPOCHS, "mu": mu,
                "sd": sd, "grades": GRADES}, out / "meat_yield.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="meat_yield.pt", log="yield_fit.csv",
           what="MLP grading the meat yield of a sack of winkles from the buyer's docket;"
                " 200k parameters trained 300 epochs on 140 tested sacks",
           complaint="Meat-yield grade model for our winkle sacks: training accuracy is 100 % by"
                     " epoch 10 and the training loss ends at 5e-6, but the validation"
                     " cross-entropy is lowest (0.55) at epoch 3 and then climbs for the rest of"
                     " the 300 epochs to 1.81, validation accuracy stuck around 0.77 the whole"
                     " time.")


if __name__ == "__main__":
    main()
