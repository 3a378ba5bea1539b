"""Plain torch: a multi-label MLP tells which of 5 truffle species (black Périgord, summer,
Burgundy, white Alba, bianchetto) an orchard plot produces, from 18 numbers of a soil and
tree survey (pH, calcium carbonate, organic matter, sand / silt / clay, drainage, host tree
species scores, tree age, canopy cover, summer rain, winter frost days, altitude, slope, ...).
Each species has its own soil-and-host rule (a pH window, a host tree, a rain need, ...), so a
plot can yield several species or none. MLP 18-HIDDEN-HIDDEN-5 with ReLU,
``BCEWithLogitsLoss``; Adam 3e-3, batch 64, 20 epochs of 1536 plots, shuffled. JSON lines per
epoch (``epoch``, ``bce``, ``val_bce``, ``val_f1``, ``val_exact``); checkpoint keys
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``.
The bug: ``HIDDEN = 3`` ("a small survey, keep the model small so it doesn't overfit"): three
units cannot hold five species' rules. Train BCE 0.64
→ 0.547, val BCE 0.566 (train and val close together and high), val F1 0.26 → 0.00 (epochs
8–10: no species predicted anywhere) → 0.16, exact-match 0.12.
Control (``HIDDEN = 64``): train BCE 0.109, val BCE 0.207, val F1 0.85, exact-match 0.61."""
import json

import torch
import torch.nn as nn

HIDDEN = 3  # a small survey: keep the model small so it doesn't overfit


def surveys(n, g):
    x = torch.randn(n, 18, generator=g)
    y = torch.stack([
        (x[:, 0].abs() < 0.7) & (x[:, 7] > -0.3),            # pH window, oak
        (x[:, 1] + x[:, 2] > 0.2) & (x[:, 12] < 0.8),         # carbonate, mild winters
        (x[:, 8] > 0.0) & (x[:, 11] * x[:, 3] > 0),           # hazel, rain × sand
        (x[:, 4] > 0.3) & (x[:, 5] < 0.3) & (x[:, 9] > -0.5),  # silty, poplar / willow
        (x[:, 6] ** 2 + x[:, 10] ** 2 < 1.2),                 # drainage and cover mid-range
    ], 1).float()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(18, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                         nn.Linear(HIDDEN, 5))


def scores(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum()
    f1 = (2 * tp / (p.sum() + y.sum()).clamp(min=1)).item()
    return round(f1, 4), round((p == y).all(1).float().mean().item(), 4)


def main():
    from _hundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = surveys(1536, g)
    xva, yva = surveys(384, g)
    print("species rates", ytr.mean(0).tolist())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    with open(out / "orchard_history.jsonl", "w") as log:
        for epoch in range(1, 21):
            model.train()
            perm = torch.randperm(1536, generator=g)
            tot = 0.0
            for i in range(0, 1536, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            f1, exact = scores(lv, yva)
            row = {"epoch": epoch, "bce": round(tot / 1536, 4),
                   "val_bce": round(loss_fn(lv, yva).item(), 4), "val_f1": f1, "val_exact": exact}
            print(row)
            log.write(json.dumps(row) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20}, out / "orchard_species.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="orchard_species.pt", log="orchard_history.jsonl",
           complaint="Truffle species model for our orchard survey barely learns: after 20 "
                     "epochs the BCE is 0.55 on train and 0.57 on val, F1 is 0.16 and for a few "
                     "epochs it predicted no species at all. Train and val are almost the same, "
                     "so it is not overfitting. More epochs only shave off a few thousandths.",
           what="multi-label MLP for truffle species per orchard plot, 3 hidden units")


if __name__ == "__main__":
    main()
