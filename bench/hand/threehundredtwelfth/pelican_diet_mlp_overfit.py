"""Plain torch: an MLP reads a brown pelican foraging trip (GPS-logger summary and the
water the bird fished in) and predicts which of 4 prey groups turn up in the chick's
regurgitated meal (menhaden, mullet, anchovy, pinfish; multi-label), so the colony monitor
can estimate diet without handling every chick. 16 inputs: trip length (km), max distance
from the colony, dive count, mean dive depth proxy, water temperature, salinity, turbidity,
tide phase (sin / cos), hour of departure, distance to the inlet, plus 5 readings that
carry no signal (logger battery, wind gust, ...). Each prey group has its own habitat rule
(menhaden: warm, salty, offshore; mullet: turbid, near the inlet; anchovy: many shallow
dives; pinfish: seagrass flats at low tide) through a logistic link, with label noise.
Input: (16,) standardised with the train mean / std. Model: 16→256→ReLU→256→ReLU→4, BCE
with logits, Adam 1e-3, batch 32, 450 optimizer steps (``STEPS``; 150 epochs of 3 batches
here), validation on 600 trips.
The bug: ``N_TRAIN = 96`` (the labelled trips of one season, "enough for a first model")
while 1500 labelled trips were generated; the wide net memorises them: train BCE 0.686 →
0.00075, val BCE 0.665 → 0.379 at epoch 16, then climbs to 0.759; val micro-F1 0.81
(control, ``N_TRAIN = 1500``, the same 450 steps = 10 epochs: train BCE 0.477 → 0.186, val
BCE 0.321 → 0.258 (epoch 2) → 0.279, val micro-F1 0.85 → 0.88).
Log: JSON lines per epoch ``diet_log.jsonl`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_f1_micro``); checkpoint ``diet_mlp.pt`` with keys ``weights`` / ``adam`` /
``epoch`` / ``x_mean`` / ``x_std`` / ``prey``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PREY = ["menhaden", "mullet", "anchovy", "pinfish"]
N_TRAIN = 96  # labelled trips from the 2024 season, enough for a first model
STEPS = 450  # optimizer steps


def trips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 5 + 60 * r(n)
    far = length * (0.3 + 0.4 * r(n))
    dives = (2 + 30 * r(n)).round()
    depth = 0.5 + 1.5 * r(n)
    temp = 18 + 12 * r(n)
    sal = 15 + 20 * r(n)
    turb = 40 * r(n)
    tide = 6.283 * r(n)
    hour = 5 + 12 * r(n)
    inlet = 25 * r(n)
    junk = r(n, 5)
    z = torch.stack([
        0.25 * (temp - 24) + 0.2 * (sal - 25) + 0.08 * (far - 15),
        0.12 * (turb - 20) - 0.25 * (inlet - 8),
        0.15 * (dives - 16) - 1.5 * (depth - 1.2),
        -2.0 * torch.cos(tide) - 0.2 * (inlet - 12) + 0.1 * (hour - 11)], 1)
    y = (torch.sigmoid(2.5 * z) > r(n, 4)).float()
    x = torch.cat([torch.stack([length, far, dives, depth, temp, sal, turb, torch.sin(tide),
                                torch.cos(tide), hour, inlet], 1), junk], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 4))


def main():
    from _threehundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xall, yall = trips(1500, g)
    xv_raw, yva = trips(600, g)
    xtr_raw, ytr = xall[:N_TRAIN], yall[:N_TRAIN]
    mu, sd = xtr_raw.mean(0), xtr_raw.std(0)
    xtr, xva = (xtr_raw - mu) / sd, (xv_raw - mu) / sd
    print("label rates", ytr.mean(0).tolist(), "train trips", len(xtr))
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "diet_log.jsonl", "w") as log:
        step, epoch = 0, 0
        while step < STEPS:
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p = (lv > 0).float()
            tp = (p * yva).sum()
            f1 = (2 * tp / (p.sum() + yva.sum())).item()
            rec = {"epoch": epoch, "train_bce": round(tot / len(xtr), 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(lv, yva).item(), 6),
                   "val_f1_micro": round(f1, 6)}
            log.write(json.dumps(rec) + "\n")
            if epoch % 10 == 0 or step >= STEPS:
                print(rec)
            epoch += 1
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epoch": epoch,
                "x_mean": mu, "x_std": sd, "prey": PREY}, out / "diet_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="diet_mlp.pt", log="diet_log.jsonl",
           what="wide MLP predicting which prey groups are in a brown pelican chick's meal"
                " from the parent's foraging trip (multi-label); trained on 96 trips only",
           complaint="The pelican diet model looks perfect on training, the loss is basically"
                     " zero, but on the held-out trips the loss has been going up since"
                     " around epoch 16 and ends higher than after the very first epoch.")


if __name__ == "__main__":
    main()
