"""Plain torch: an MLP predicts a golf course's morning green speed (the stimpmeter reading, in
feet) from 10 numbers the greenkeeper logs per green and day: mowing height, whether the green
was rolled, double-cut, days since top-dressing, soil moisture, overnight dew, grass share of
Poa annua, slope of the green, temperature and nitrogen given that week. The speed depends on
them nonlinearly: a height curve, rolling and double-cutting adding more on firm, dry greens,
moisture slowing Poa greens far more than bent ones, fresh top-dressing, a slope-by-height
term; plus 0.15 ft of measurement noise. Standardised inputs, target in feet (mean 10.3 ft,
std 1.46 ft, variance 2.13 ft²). ``GreenSpeedMLP(n_in, width, depth=2)`` with ReLU, MSE, Adam
3e-3, batch 64, 40 epochs of 4096 green-days, shuffled; a JSON-lines log per epoch.
The bug: the run config has ``"hidden": 3`` (three hidden layers, as in the team's other
models) and ``"width": 64``, and ``build()`` passes ``CFG["hidden"]`` as the second
positional argument, which is the *width*; the depth stays at its default: two hidden layers
of 3 units (49 parameters). The model can only fit a rough trend: train / val MSE 0.95 / 0.91
ft² from epoch ~20 to the end (0.953 / 0.906 at epoch 40, val MAE 0.72 ft), while the
measurement noise is 0.0225 ft². Control (``GreenSpeedMLP(10, CFG["width"],
CFG["hidden"])``, 9089 parameters): train / val MSE 0.26 / 0.24 at epoch 6, 0.082 / 0.105 at
epoch 40 (val MAE 0.25 ft)."""
import json

import torch
import torch.nn as nn

CFG = {"hidden": 3, "width": 64, "lr": 3e-3, "batch_size": 64, "epochs": 40}


def green_days(n, g):
    x = torch.randn(n, 10, generator=g)
    height, rolled, double, topd, moist, dew, poa, slope, temp, nitro = x.T
    rolled, double = (rolled > 0).float(), (double > 0.5).float()
    poa = torch.sigmoid(2 * poa)
    firm = torch.sigmoid(-1.5 * moist)
    speed = (10.5 - 1.2 * torch.tanh(height) - 0.4 * height ** 2
             + (0.5 * rolled + 0.4 * double) * (0.4 + 1.2 * firm)
             - 1.6 * poa * torch.relu(moist) - 0.2 * moist
             + 0.5 * torch.exp(-topd ** 2) - 0.3 * dew * (temp < 0).float()
             + 0.6 * slope * height - 0.25 * torch.relu(nitro) + 0.15 * temp)
    return x, speed + 0.15 * torch.randn(n, generator=g)


class GreenSpeedMLP(nn.Module):
    def __init__(self, n_in, width, depth=2):
        super().__init__()
        layers, d = [], n_in
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.ReLU()]
            d = width
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(d, 1)

    def forward(self, x):
        return self.out(self.body(x)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return GreenSpeedMLP(10, CFG["hidden"])


def main():
    from _hundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = green_days(4096, g)
    xva, yva = green_days(512, g)
    print("target mean/std", ytr.mean().item(), ytr.std().item())
    model = build()
    print("parameters", sum(p.numel() for p in model.parameters()))
    opt = torch.optim.Adam(model.parameters(), lr=CFG["lr"])
    mse = nn.MSELoss()
    bs = CFG["batch_size"]
    with open(out / "stimp_log.jsonl", "w") as log:
        for epoch in range(CFG["epochs"]):
            model.train()
            perm = torch.randperm(4096, generator=g)
            tot = 0.0
            for i in range(0, 4096, bs):
                idx = perm[i:i + bs]
                loss = mse(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "train_mse": round(tot / 4096, 4),
                   "val_mse": round(mse(pv, yva).item(), 4),
                   "val_mae_ft": round((pv - yva).abs().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": CFG["epochs"], "cfg": CFG}, out / "stimp_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="stimp_mlp.pt", log="stimp_log.jsonl",
           what="golf green-speed regression MLP built 3 units wide (config 'hidden' = number of"
                " layers passed as the width)",
           complaint=("Green speed model for our course: train and val MSE both stop at about "
                      "0.95 / 0.91 ft² after ~20 of 40 epochs (val MAE 0.72 ft) and never get "
                      "better, and the stimpmeter itself is repeatable to about 0.15 ft. It "
                      "isn't overfitting since train and val are the same. Do we need more "
                      "features, like the mower's reel sharpness?"))


if __name__ == "__main__":
    main()
