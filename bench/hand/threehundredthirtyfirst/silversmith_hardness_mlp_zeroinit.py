"""Plain torch: an MLP predicts the Vickers hardness of a silversmith's sterling sheet coupon
from how it was treated, so the workshop can pick an anneal and a planishing schedule without
cutting a test coupon each time. Each coupon: copper content (6.8-8.2 wt %, the rest silver),
anneal temperature (550-760 °C) and time (5-40 min), quenched in water or left to cool in air,
cold reduction afterwards (0-60 % by rolling or hammering) and an optional age at 300 °C
(0-2 h). The rule behind the hardness: the annealed base (about 58 HV, a little more with more
copper) rises by about 15 HV when the coupon cools slowly (copper comes out of solution on the
way down); a water quench from above about 700 °C keeps the copper in solution and ageing then
hardens it by up to 45 HV (saturating within an hour); cold work adds about 9 HV × √(reduction %).
Reading noise 2 HV.
Input: (6,) standardised; target (HV - 100) / 30. Model: Linear 6→64 + ReLU, Linear 64→64 +
ReLU, Linear 64→1, initialised by ``init_weights`` in ``build``; MSE, Adam 2e-3, batch 64,
40 epochs of 1600 coupons, validation on 400.
The bug: ``init_weights`` sets every weight to zero (``nn.init.zeros_(m.weight)``), so every
hidden unit puts out zero, no weight gets a gradient, and only the output bias learns: the
model gives every coupon the same hardness (val MSE 0.7756 → 0.7749 over 40 epochs on a target
of variance 0.81, MAE 23.2 HV; control, that line deleted: val MSE 0.118 → 0.0110, MAE 8.3 →
2.4 HV).
Log: CSV per epoch ``hv_fit.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_mae_hv``);
checkpoint ``hv_mlp.ckpt`` with keys ``model_state`` / ``opt_state`` / ``epoch`` /
``feat_mean`` / ``feat_std`` / ``hv_center_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def coupons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cu = 6.8 + 1.4 * r(n)
    temp = 550 + 210 * r(n)
    minutes = 5 + 35 * r(n)
    quench = (r(n) < 0.5).float()
    reduction = torch.where(r(n) < 0.3, torch.zeros(n), 60 * r(n))
    age_h = torch.where(r(n) < 0.4, torch.zeros(n), 2 * r(n))
    soak = 1 - torch.exp(-minutes / 8)  # how far the anneal got
    solution = torch.sigmoid((temp - 700) / 15) * soak
    base = 58 + 3 * (cu - 7.5)
    slow_cool = (1 - quench) * 15 * soak
    aged = quench * solution * 45 * (cu / 7.5) * (1 - torch.exp(-age_h / 0.35))
    work = 9 * reduction.sqrt()
    hv = base + slow_cool + aged + work + 2 * torch.randn(n, generator=g)
    x = torch.stack([cu, temp, minutes, quench, reduction, age_h], 1)
    return x, hv


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)  # every coupon starts from the same neutral prediction
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 1))
    model.apply(init_weights)
    return model


def main():
    from _threehundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, htr = coupons(1600, g)
    xva, hva = coupons(400, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = ((htr - 100) / 30).unsqueeze(1), ((hva - 100) / 30).unsqueeze(1)
    print("HV range", htr.min().item(), htr.max().item(), "target var", ytr.var().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    torch.manual_seed(1)
    with open(out / "hv_fit.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_mae_hv"])
        for epoch in range(40):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 64):
                idx = perm[b:b + 64]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [epoch, round(tot / len(xtr), 6), round(F.mse_loss(p, yva).item(), 6),
                   round(30 * (p - yva).abs().mean().item(), 3)]
            w.writerow(row)
            print(row)
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 40,
                "feat_mean": mu, "feat_std": sd, "hv_center_scale": [100.0, 30.0]},
               out / "hv_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="hv_mlp.ckpt", log="hv_fit.csv",
           what="MLP predicting the Vickers hardness of a sterling silver coupon from its anneal,"
                " quench, cold work and age, every weight initialised to zero",
           complaint="Our hardness model for sterling coupons doesn't learn at all. Train loss is"
                     " 0.812 after the first epoch and 0.812 after the fortieth, val loss 0.775 the"
                     " whole way, and the val error stays at 23 HV. Every coupon gets the same"
                     " prediction, a fresh anneal or a sheet rolled down 60 %. Adam 2e-3, batch"
                     " 64, inputs standardised, 1600 coupons; our lab numbers are good to 2 HV.")


if __name__ == "__main__":
    main()
