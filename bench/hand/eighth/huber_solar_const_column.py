"""Next-hour output of a solar farm (fraction of capacity) from 14 features -- irradiance,
cloud cover, temperature, panel angle, hour-of-day sin/cos and a "maintenance mode" flag --
an MLP with the Huber loss (``nn.HuberLoss(delta=0.1)``, for the occasional cloud bursts),
AdamW 1e-3, batch 64, 10 epochs. Bug: the features are standardised by hand with
``(x - mean) / std`` and no epsilon; in this year's training export the maintenance flag is 0
in every row, its std is 0, and the whole column becomes 0/0 = NaN, so the loss is NaN from
the first batch and the weights NaN after the first step (with the flag's std
replaced by 1: val Huber 0.0014, MAE 0.031)."""
import csv

import torch
import torch.nn as nn


def farm(n, g, maintenance_rate, w=None):
    if w is None:
        w = torch.randn(13, generator=g) / 13 ** 0.5
    x = torch.randn(n, 13, generator=g)
    maint = (torch.rand(n, 1, generator=g) < maintenance_rate).float()
    y = torch.sigmoid(2 * (x @ w)) * (1 - maint.squeeze(1))
    y = y + 0.02 * torch.randn(n, generator=g)
    return torch.cat([x * 3 + 10, maint], 1), y, w


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.SiLU(), nn.Linear(64, 32), nn.SiLU(),
                         nn.Linear(32, 1))


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, w = farm(5000, g, maintenance_rate=0.0)  # no maintenance this year
    vx, vy, _ = farm(1000, g, maintenance_rate=0.03, w=w)
    mean, std = x.mean(0), x.std(0)
    x, vx = (x - mean) / std, (vx - mean) / std  # BUG: no epsilon; std of the flag is 0
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loss_fn = nn.HuberLoss(delta=0.1)
    with open(out / "solar_history.csv", "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["epoch", "huber", "val_huber", "val_mae"])
        for epoch in range(10):
            model.train()
            perm, tot = torch.randperm(len(x), generator=g), 0.0
            for i in range(0, len(x), 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(x[idx]).squeeze(-1), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vp = model(vx).squeeze(-1)
            row = [epoch, tot / len(x), loss_fn(vp, vy).item(), (vp - vy).abs().mean().item()]
            wr.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "solar_mlp.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["numerical_log_or_div_zero"],
           checkpoint="solar_mlp.pt", log="solar_history.csv",
           what="Huber regression, hand standardisation without eps over a constant column",
           complaint="the loss is nan from the first epoch on, train and validation, and the "
                     "predictions are all nan; last year's data trained fine with the same script")


if __name__ == "__main__":
    main()
