"""Plain torch: an MLP tells a whipmaker whether a finished kangaroo-hide stockwhip will crack
clean, from the numbers in the bench book: the thong's diameter measured with calipers at 16
stations from the handle to the fall hitch (mm), the thong length (1.8-3.0 m) and the plait
count (8, 12 or 16). Thongs are plaited to a butt of 11-14 mm and a taper ratio of 3-6 with
a belly that falls off fast or slowly; calipers read ±0.05 mm. The maker's experience on the
test ground: a whip cracks clean when the butt / tip ratio is within 25 % of 4.2 and the
diameter at mid-thong is at most 0.62 of the butt (enough of the taper spent early so the
loop rolls out); 8 % of the book's verdicts go the other way (a wet day, a worn cracker).
400 whips in the book: 220 for training, 180 held back to check. Inputs: the log of the 16
caliper readings (so a taper ratio is a difference), length and plait count, standardised
with the train mean / std.
Model: 18→256→ReLU→256→ReLU→256→ReLU→1 (about 137 k weights for 220 whips), BCE with
logits, Adam 1e-3, batch 16, 150 epochs, no weight decay, no dropout, no early stop; the
last epoch is saved.
The bug: ``HIDDEN = 256`` gives the net far more room than 220 whips can pin down, and
nothing holds it back, so it learns the book by heart: train BCE 0.645 → 0.0009, val BCE
0.509 (best 0.382 at epoch 7) → 1.705, val accuracy 0.789 at the end (control,
``HIDDEN = 8``: train BCE 0.697 → 0.271, val BCE 0.696 → 0.435, val accuracy 0.839).
Log: CSV per epoch ``crack_log.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc``);
checkpoint ``thong_mlp.pt`` with keys ``model_state`` / ``adam_state`` / ``epoch`` /
``station_mean`` / ``station_std`` / ``hidden``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

STATIONS = 16
HIDDEN = 256  # wide layers: a taper has a lot going on


def bench_book(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    st = torch.arange(STATIONS).float() / (STATIONS - 1)
    butt = 11 + 3 * r(n, 1)
    tip = butt / (3.0 + 3.0 * r(n, 1))
    belly = 0.7 + 0.8 * r(n, 1)
    d = tip + (butt - tip) * (1 - st) ** belly
    d = d + 0.05 * torch.randn(n, STATIONS, generator=g)
    length = 1.8 + 1.2 * r(n, 1)
    plait = torch.tensor([8.0, 12.0, 16.0])[torch.randint(0, 3, (n,), generator=g)].unsqueeze(1)
    ratio, mid = d[:, :1] / d[:, -1:], d[:, 7:8] / d[:, :1]
    clean = ((ratio / 4.2).log().abs() < 0.25) & (mid < 0.62)
    verdict = clean ^ (r(n, 1) < 0.08)
    return torch.cat([d.log(), length, plait], 1), verdict.float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(STATIONS + 2, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                         nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))


def main():
    from _fourhundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bench_book(400, g)
    mean, std = x[:220].mean(0), x[:220].std(0)
    xtr, ytr = (x[:220] - mean) / std, y[:220]
    xva, yva = (x[220:] - mean) / std, y[220:]
    print("clean share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    with open(out / "crack_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_bce", "val_bce", "val_acc"])
        for epoch in range(150):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = bce(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = [tot / len(xtr), bce(logits, yva).item(),
                   ((logits > 0).float() == yva).float().mean().item()]
            log.writerow([epoch] + [f"{v:.5f}" for v in row])
            if epoch % 10 == 0 or epoch == 149:
                print(epoch, row)
    torch.save({"model_state": model.state_dict(), "adam_state": opt.state_dict(),
                "epoch": 150, "station_mean": mean, "station_std": std, "hidden": HIDDEN},
               out / "thong_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="thong_mlp.pt", log="crack_log.csv",
           what="3x256 MLP on 220 stockwhips' caliper readings (will it crack clean), 150"
                " epochs with nothing holding it back",
           complaint="Stockwhip crack predictor from our bench book: training BCE is down to"
                     " 0.0009 after 150 epochs, but the validation BCE bottomed out around 0.38 in"
                     " the first ten epochs and has climbed to 1.7 since, and on the 180 whips we"
                     " held back it is right only 79 % of the time. The saved model is sure of"
                     " itself on whips it gets wrong.")


if __name__ == "__main__":
    main()
