"""Plain torch: an MLP predicts the break load (kN, standardised) of a rattan armchair's
wrapped corner joint from 10 numbers the workshop's test rig records: cane diameter, core
moisture, wrap turns, binding-cane width, glue share, steam-bending time, kiln hours, peel
count, knot distance, ambient humidity. The load rises with diameter and wrap turns and then
saturates, falls with moisture (quadratically past 12 %), and has an interaction of glue with
wrap turns, plus noise. The rig file holds the two workshops' records one after the other:
workshop A (thin cane, 18–24 mm) first, workshop B (thick cane, 26–34 mm, drier, more turns)
after it. MLP 10-64-64-1 with ReLU, Adam 2e-3, MSE, batch 64, 30 epochs. Log: JSON lines per
epoch (``epoch``, ``mse``, ``val_mse``, ``val_mae``); checkpoint ``net`` / ``opt`` / ``epoch``
/ ``step``.
The bug: the split is ``idx = torch.arange(len(x))`` then
``idx[:1600]`` / ``idx[1600:]``: the rig file is ordered by workshop, so training sees only
workshop A's thin cane and validation is all of workshop B's thick, dry cane, outside the
training range (the standardisation is fit on A too). Train MSE 0.50 → 0.022 at 10 → 0.013 at
30 while val MSE is 0.29 at epoch 1, 0.27 at 2, 0.46 at 3, 0.58 at 10, 0.70 at 20, 0.95 at 30
(val MAE 0.42 → 0.83, standardised). Control (``idx = torch.randperm(len(x), generator=g)``):
val MSE 0.128 → 0.017 at 10 → 0.014 at 30, level with the train MSE (0.0068)."""
import json

import torch
import torch.nn as nn


def workshop(n, g, thick):
    z = torch.randn(n, 10, generator=g)
    diam = (30 if thick else 21) + (2.5 if thick else 1.8) * z[:, 0]
    moist = (9 if thick else 13) + 2.0 * z[:, 1]
    turns = (9 if thick else 6) + 1.5 * z[:, 2]
    glue = 0.5 + 0.15 * z[:, 3]
    raw = torch.stack([diam, moist, turns, glue], 1)
    load = (6 * torch.tanh((diam - 20) / 6) + 1.2 * torch.tanh((turns - 5) / 2)
            - 0.15 * (moist - 12).clamp(min=0) ** 2 + 2.0 * glue * (turns - 6) / 3
            + 0.3 * z[:, 4] + 0.3 * torch.randn(n, generator=g))
    return torch.cat([raw, z[:, 4:]], 1), load


def rig_file(g):
    xa, ya = workshop(1600, g, thick=False)
    xb, yb = workshop(400, g, thick=True)
    return torch.cat([xa, xb]), torch.cat([ya, yb])


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = rig_file(g)
    idx = torch.arange(len(x))
    tr, va = idx[:1600], idx[1600:]
    mu, sd = x[tr].mean(0), x[tr].std(0)
    ym, ys = y[tr].mean(), y[tr].std()
    x, y = (x - mu) / sd, ((y - ym) / ys).unsqueeze(1)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[tr], y[tr]),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "joint_log.jsonl", "w") as f:
        for epoch in range(1, 31):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                step += 1
            model.eval()
            with torch.no_grad():
                pv = model(x[va])
            rec = {"epoch": epoch, "mse": round(tot / len(tr), 4),
                   "val_mse": round(nn.functional.mse_loss(pv, y[va]).item(), 4),
                   "val_mae": round((pv - y[va]).abs().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30, "step": step},
               out / "joint_mlp.pt")
    finish(out, __file__, (x[va][:64], y[va][:64]), causes=["distribution_shift"],
           checkpoint="joint_mlp.pt", log="joint_log.jsonl",
           what="rattan chair joint break-load MLP, validation = the last 400 rows of a file"
                " ordered by workshop",
           complaint=("Break-load regression for our rattan chair corner joints: train MSE drops nicely to 0.013 "
                     "(standardised) but the validation MSE is 0.29 after the first epoch and then only gets "
                     "worse, 0.58 at epoch 10 and 0.95 at epoch 30. Should I stop at epoch 2 and add dropout, "
                     "or is something else going on?"))


if __name__ == "__main__":
    main()
