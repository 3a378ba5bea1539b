"""Plain torch: an MLP predicts how a hand-rolled incense cone will burn from its recipe, 8
standardised numbers an incense workshop records per batch (share of sandalwood, agarwood,
resin, charcoal and makko binder powder, water added, packing density, cone height), with 2
targets: burn time in minutes (mean ≈ 24, std ≈ 3.2) and smoke density on the workshop's 0–10
scale (mean ≈ 5.0, std ≈ 1.0). Burn time rises with height and density and falls with
charcoal and resin; smoke rises with resin and wet dough and drops when binder is high,
with interactions; both have noise. MLP 8-64-64-2, ReLU, Adam 1e-3, MSE on the raw targets,
batch 32, 30 epochs of 1536 cones, shuffled.
Checkpoint ``state`` / ``optimizer`` / ``epochs``; log ``burn_metrics.jsonl`` (one JSON line
per epoch: train and val MSE, val MAE of each target).
The bug: the layers come from a small ``dense`` helper that passes ``bias=False`` (written for
a model where a BatchNorm followed every Linear); here nothing follows, the network has no
bias anywhere and is positively homogeneous, so it cannot put out the 24-minute offset
except through the length of the input vector: val MSE 21.3 at epoch 3, 20.0 at 5, 19.0 at 10 and 20, 19.1 at 30 (train
MSE 17.5), val MAE 4.90 min on burn time and 1.05 on smoke, worse than predicting the
mean of each target (MSE ≈ 5.5).
Control (``bias=False`` → ``bias=True`` in ``dense``): val MSE 9.80 at epoch 5, 5.32 at 10, 0.57 at 20,
0.349 at 30 (val MAE 0.62 min on burn time, 0.29 on smoke)."""
import json

import torch
import torch.nn as nn


def cones(n, g):
    x = torch.randn(n, 8, generator=g)
    sandal, agar, resin, charcoal, makko, water, density, height = x.unbind(1)
    burn = 24 + 2.2 * height + 1.5 * density - 1.6 * charcoal - 0.8 * resin \
        - 0.6 * torch.relu(water) * height + 0.5 * sandal * agar
    smoke = 4.8 + 0.8 * resin + 0.5 * torch.relu(water) - 0.6 * torch.tanh(makko) \
        + 0.3 * agar * resin
    y = torch.stack([burn + 0.6 * torch.randn(n, generator=g),
                     smoke + 0.25 * torch.randn(n, generator=g)], 1)
    return x, y


def dense(i, o):
    return nn.Linear(i, o, bias=False)


def build():
    torch.manual_seed(0)
    return nn.Sequential(dense(8, 64), nn.ReLU(), dense(64, 64), nn.ReLU(), dense(64, 2))


def main():
    from _twohundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cones(1536, g)
    xva, yva = cones(384, g)
    print("target mean", ytr.mean(0), "std", ytr.std(0))
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "burn_metrics.jsonl", "w") as f:
        for epoch in range(1, 31):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            mae = (pv - yva).abs().mean(0)
            rec = {"epoch": epoch, "train_mse": round(tot / 1536, 4),
                   "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 4),
                   "val_mae_burn_min": round(mae[0].item(), 3),
                   "val_mae_smoke": round(mae[1].item(), 3)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state": model.state_dict(), "optimizer": opt.state_dict(), "epochs": 30},
               out / "cone_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="cone_mlp.pt", log="burn_metrics.jsonl",
           what="incense cone burn-time/smoke MLP regression built with bias=False everywhere",
           complaint=("Our cone burn-time model plateaus almost immediately: val MSE is 20.0 at"
                      " epoch 5 and still 19.1 at epoch 30, train MSE only creeps from 20.6 to 17.5."
                      " It is off by 4.9 minutes on average on burn time, while the burn times in"
                      " the workshop data only vary by about 3 minutes around 24. More epochs and a"
                      " bigger lr did not help. Are the recipe features just not informative?"))


if __name__ == "__main__":
    main()
