"""Plain torch: an MLP with BatchNorm and dropout flags problems in emu chicks on an emu farm
from their first 5 weeks of records (multi-label, 3 flags: leg weakness, slow growth, low feed
conversion). Input: 35 daily weights + 35 daily feed intakes + 10 pen/brooder numbers = 80
columns, standardised. Each flag follows a simple rule on a few of the columns (late-week
weight gain vs feed, weight at day 35, feed/weight ratio) plus label noise; only 320 chicks to
train on, 320 to validate, so dropout matters. MLP 80-256-256-3 with BatchNorm1d, ReLU,
Dropout(0.5), BCEWithLogitsLoss, Adam 1e-3 weight decay 1e-4, batch 32, 40 epochs.
The bug: the validation block at the end of each epoch calls ``model.eval()`` and the top of
the loop never calls ``model.train()`` again, so from epoch 1 on the net trains with dropout
off and BatchNorm frozen at the running statistics of epoch 0: it memorises the 320 chicks and
the validation loss climbs: train BCE 0.636 → 0.142 (0.033 at epoch 38), val BCE 0.604 →
0.458 (epoch 10) → 0.915, val F1 0.595 → 0.743 (epoch 13) → 0.677. Control (``model.train()``
added back at the top of the epoch loop by sed): train BCE 0.636 → 0.235, val BCE 0.604 →
0.466 (min ~0.44), val F1 0.595 → 0.747. Log: CSV per epoch
(``epoch,train_bce,val_bce,val_f1``); checkpoint keys ``state`` / ``optimizer`` / ``epoch``."""
import torch
import torch.nn as nn


def chicks(n, g):
    w0 = 0.4 + 0.05 * torch.randn(n, 1, generator=g)
    rate = 0.09 + 0.02 * torch.randn(n, 1, generator=g)
    late = 0.01 * torch.randn(n, 1, generator=g)
    d = torch.arange(35).float()
    weight = w0 * torch.exp((rate + late * (d > 21).float()) * d / 3)
    weight = weight * (1 + 0.03 * torch.randn(n, 35, generator=g))
    feed = 0.3 * weight * (1 + 0.3 * torch.randn(n, 1, generator=g)) * (
        1 + 0.05 * torch.randn(n, 35, generator=g))
    pen = torch.randn(n, 10, generator=g)
    leg = late[:, 0] + 0.004 * pen[:, 0] < -0.006
    slow = weight[:, -1] < weight[:, -1].median() * 0.8
    fcr = feed[:, -7:].sum(1) / (weight[:, -1] - weight[:, -8]) > 1.1 * (
        feed[:, -7:].sum(1) / (weight[:, -1] - weight[:, -8])).median()
    y = torch.stack([leg, slow, fcr], 1).float()
    flip = torch.rand(n, 3, generator=g) < 0.05
    y = torch.where(flip, 1 - y, y)
    return torch.cat([weight, feed, pen], 1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(80, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(256, 3))


def main():
    from _twohundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = chicks(320, g)
    xva, yva = chicks(320, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("flag rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    crit = nn.BCEWithLogitsLoss()
    model.train()
    with open(out / "flags_log.csv", "w") as f:
        f.write("epoch,train_bce,val_bce,val_f1\n")
        for epoch in range(40):
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p = (lv > 0).float()
            f1 = (2 * (p * yva).sum() / (p.sum() + yva.sum())).item()
            f.write(f"{epoch},{tot / len(ytr):.4f},{crit(lv, yva).item():.4f},{f1:.4f}\n")
            print(epoch, round(tot / len(ytr), 4), round(crit(lv, yva).item(), 4), round(f1, 4))
    torch.save({"state": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 40},
               out / "chick_flags.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="chick_flags.pt", log="flags_log.csv",
           what="emu chick multi-label MLP (BN + dropout) left in eval mode after the first"
                " epoch's validation",
           complaint=("Our emu chick health-flag model overfits like crazy even though it has dropout"
                      " 0.5 and BatchNorm in every layer: train BCE goes 0.64 -> 0.03 over 40"
                      " epochs, but val BCE bottoms out at 0.46 around epoch 10 and then climbs"
                      " to 0.92, and val F1 tops out at 0.74 and slides back to 0.68. Adding"
                      " weight decay didn't change anything. Is 320 chicks just too few?"))


if __name__ == "__main__":
    main()
