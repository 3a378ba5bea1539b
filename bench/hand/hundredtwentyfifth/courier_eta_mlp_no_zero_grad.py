"""Food-delivery ETA: an MLP predicting the minutes from order to doorstep for a delivery app, on
synthetic orders: distance (km, by road), the restaurant's prep time estimate, hour of day
(sin/cos), weekday/weekend, rain, basket size, courier vehicle (bike / scooter / car, one-hot)
and the number of open orders in the zone. Minutes = prep + travel (distance over a vehicle
speed slowed by rain and the lunch / dinner peaks) + a hand-over delay + noise; the features are
standardised with the training mean/std, the target regressed in minutes. MLP 10-64-64-1,
SGD lr 2e-4, momentum 0.9, batch 64, 12 epochs of 4096 orders; a JSON-lines log per epoch
(``epoch``, ``train_mse``, ``val_mae_min``, ``lr``), checkpoint keys ``net`` / ``sgd`` /
``feature_mean`` / ``feature_std`` / ``epoch``.
Bug: the ``opt.zero_grad()`` line was commented out while "trying gradient accumulation" and
never put back: every ``backward()`` adds to all the gradients of every earlier step, so each
SGD step moves along the sum of the whole history. Train MSE 916 → 3116 → 14459 → … → 6.5e9 at
epoch 12, val MAE 38.7 → 74.5 → 135 → 157 → 10.0 → 734 → … → 13657 min; the control (the line
put back) reaches train MSE 9.19 (noise 6.25) and val MAE 2.49 min (3.51 after epoch 1)."""
import json
import math

import torch
import torch.nn as nn

FEATURES = ["distance_km", "prep_min", "hour_sin", "hour_cos", "weekend", "rain", "basket_items",
            "bike", "scooter", "open_orders"]


def orders(n, g):
    dist = 0.3 + torch.rand(n, generator=g) ** 1.5 * 8
    prep = 6 + torch.rand(n, generator=g) * 20
    hour = torch.randint(10, 24, (n,), generator=g).float()
    weekend = (torch.rand(n, generator=g) < 2 / 7).float()
    rain = (torch.rand(n, generator=g) < 0.2).float()
    basket = torch.randint(1, 9, (n,), generator=g).float()
    vehicle = torch.multinomial(torch.tensor([0.5, 0.35, 0.15]), n, replacement=True, generator=g)
    open_orders = torch.poisson(torch.full((n,), 6.0), generator=g)
    peak = torch.exp(-((hour - 12.5) / 1.2) ** 2) + torch.exp(-((hour - 19.5) / 1.5) ** 2)
    speed = torch.tensor([14.0, 22.0, 26.0])[vehicle] * (1 - 0.2 * rain) * (1 - 0.25 * peak)
    minutes = (prep * (1 + 0.03 * open_orders) + 60 * dist / speed + 2 + 0.4 * basket
               + 3 * weekend * peak + 2.5 * torch.randn(n, generator=g))
    x = torch.stack([dist, prep, torch.sin(hour / 24 * 2 * math.pi), torch.cos(hour / 24 * 2 * math.pi),
                     weekend, rain, basket, (vehicle == 0).float(), (vehicle == 1).float(),
                     open_orders], 1)
    return x, minutes[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(len(FEATURES), 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = orders(5120, g)
    xtr, ytr, xva, yva = x[:4096], y[:4096], x[4096:], y[4096:]
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=2e-4, momentum=0.9)
    loss_fn = nn.MSELoss()
    log = open(out / "eta_train.jsonl", "w")
    for epoch in range(1, 13):
        net.train()
        perm = torch.randperm(len(xtr), generator=g)
        total = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = loss_fn(net(xtr[idx]), ytr[idx])
            # opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            mae = (net(xva) - yva).abs().mean().item()
        row = {"epoch": epoch, "train_mse": round(total / len(xtr), 4), "val_mae_min": round(mae, 4),
               "lr": opt.param_groups[0]["lr"]}
        print(row)
        log.write(json.dumps(row) + "\n")
    log.close()
    torch.save({"net": net.state_dict(), "sgd": opt.state_dict(), "feature_mean": mean,
                "feature_std": std, "epoch": 12}, out / "eta_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["missing_zero_grad"],
           checkpoint="eta_mlp.pt", log="eta_train.jsonl",
           what="food-delivery ETA MLP, opt.zero_grad() commented out: gradients summed over all steps",
           complaint=("Our delivery-time model gets worse every epoch instead of better: train MSE "
                      "916 after epoch 1, 3116, 14459, then 1.5e5 at epoch 5 and 6.5e9 at epoch 12; "
                      "validation MAE went 38.7 min, 74.5, 135, one lucky 10.0 at epoch 5, then "
                      "thousands of minutes (13657 at the end). Features are standardised, SGD lr is "
                      "only 2e-4. What is going on?"))


if __name__ == "__main__":
    main()
