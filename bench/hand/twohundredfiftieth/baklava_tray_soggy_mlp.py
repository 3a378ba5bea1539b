"""Plain torch: an MLP predicts whether a tray from a baklava kitchen comes out soggy (binary)
from 8 readings the pastry cooks log per tray, in their own units: oven temperature (°C,
160–190), bake time (min, 35–60), syrup temperature when poured (°C, 20–100), syrup weight (g,
600–1200), butter weight (g, 200–400), phyllo sheets (20–40), resting time before cutting
(h, 2–12) and kitchen humidity (%, 30–80). Soggy trays are the classic mistakes: hot syrup on
hot pastry, too much syrup for too little butter, short bakes with many sheets, a short rest
on a humid day. MLP 8-64-64-1, ``BCEWithLogitsLoss``, Adam 1e-3, batch 32, 12 epochs of 1536
trays, shuffled. The kitchen's scaler (mean / std of the training trays) is computed.
The bug: the line that applies the scaler is commented out (``# xtr, xva = (xtr - mu) / sd,
...``), so the MLP reads grams and degrees raw (syrup 600–1200, oven 160–190, humidity 30–80
next to rest hours 2–12). 41 % soggy. Train BCE 2.06 in epoch 1, then 0.48, 0.54, 0.44, ...,
0.39 at epoch 12; val BCE 0.42, 0.59, 0.40, ... 0.27 and val accuracy jumping 0.70–0.89.
Control (scaler line uncommented): train BCE 0.60, 0.30, 0.17 → 0.092 at epoch 12, val BCE
0.44 → 0.138, val accuracy 0.89 → 0.94."""
import json
import sys

import torch
import torch.nn as nn

LO = torch.tensor([160.0, 35, 20, 600, 200, 20, 2, 30])
HI = torch.tensor([190.0, 60, 100, 1200, 400, 40, 12, 80])


def trays(n, g):
    u = torch.rand(n, 8, generator=g)
    x = LO + u * (HI - LO)
    z = u * 2 - 1
    risk = (1.4 * z[:, 2] * (1 - z[:, 1]) * 0.7 + 1.2 * (z[:, 3] - z[:, 4])
            + 0.9 * (z[:, 5] - z[:, 1]) + 0.8 * (z[:, 7] - z[:, 6]) - 0.3 * z[:, 0]
            + 0.3 * torch.randn(n, generator=g))
    return x.round(decimals=1), (risk > 0.4).float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trays(1536, g)
    xva, yva = trays(384, g)
    print("soggy share:", ytr.mean().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    # xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    log = open(out / "trays.jsonl", "w")
    step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva).squeeze(1)
            vl = loss_fn(lv, yva).item()
            va = ((lv > 0).float() == yva).float().mean().item()
        row = {"ep": epoch + 1, "step": step, "bce": round(tot / 1536, 4),
               "val_bce": round(vl, 4), "val_acc": round(va, 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 12,
                "scaler": {"mean": mu, "std": sd}}, out / "soggy_tray.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="soggy_tray.pt", log="trays.jsonl",
           what="MLP predicting soggy baklava trays from 8 kitchen readings",
           complaint=("Soggy-tray predictor for our baklava kitchen: train BCE is 2.06 in "
                      "the first epoch and still 0.39 after 12, val accuracy jumps around "
                      "between 0.70 and 0.89 (val BCE 0.27-0.59). The head cook's rule of "
                      "thumb gets most trays right; I expected a lot better than this."))


if __name__ == "__main__":
    main()
