"""Plain torch: an MLP predicts a racing pigeon's average velocity (metres per minute, scaled)
over a 300 km race from 10 numbers the club records for each bird and race day (release
distance, head/tail wind component, cross wind, temperature, bird age, weight, days since the
last race, training tosses that week, loft altitude, cloud cover). The velocity comes from
a nonlinear mix of wind, age, form and weather. MLP 10-64-64-1, Adam 1e-3, batch 32, 30 epochs
of 1024 birds, MSE on the standardised velocity.
Bug: ``init_weights`` (applied to the two hidden layers) sets every bias to -3 ("start
sparse") on top of Kaiming weights, so the ReLU units are negative for (almost) every input
from the start and get no gradient; only the output bias learns and the net predicts the mean:
train MSE 0.9993 at epoch 1, 0.9991 at epoch 30, val MSE 1.19 throughout (the validation
mean sits a little off the training mean).
Control (``sed -i 's/constant_(m.bias, -3.0)/zeros_(m.bias)/'``): train MSE 0.82 → 0.032,
val MSE 0.69 → 0.123 at epoch 30."""
import json
import sys

import torch
import torch.nn as nn


def races(n, g):
    x = torch.randn(n, 10, generator=g)
    v = (1.2 * torch.tanh(x[:, 1]) - 0.5 * x[:, 2].abs() - 0.4 * (x[:, 3] - 0.5) ** 2
         + 0.6 * torch.exp(-(x[:, 4] - 0.3) ** 2) + 0.5 * x[:, 6] * x[:, 7] - 0.3 * x[:, 9])
    v = v + 0.1 * torch.randn(n, generator=g)
    return x, ((v - 0.2) / 1.0).unsqueeze(1)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -3.0)


def build():
    torch.manual_seed(0)
    hidden = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
    hidden.apply(init_weights)
    return nn.Sequential(hidden, nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = races(1024, g)
    xva, yva = races(256, g)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vl = loss_fn(model(xva), yva).item()
            rec = {"epoch": epoch + 1, "mse": round(tot / 1024, 4), "val_mse": round(vl, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30},
               out / "velocity_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="velocity_mlp.pt", log="train_log.jsonl",
           what="MLP racing-pigeon velocity regression, biases initialised to -3",
           complaint=("Pigeon race velocity model: MSE sits at 0.999 on train and 1.19 on "
                      "validation for all 30 epochs (targets are standardised, so that is just "
                      "predicting the average). A linear regression on the same 10 columns does "
                      "better. Loss curve is flat from the first epoch."))


if __name__ == "__main__":
    main()
