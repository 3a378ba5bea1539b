"""An automated valuation model (AVM) for residential appraisal: an MLP (9 → 64 → 64 → 1, ReLU)
regresses the log sale price of synthetic single-family sales from living area (m²), lot size
(m²), building age, bedrooms, bathrooms, distance to the city centre (km), a condition grade
(1–5), a garage flag and the sale month — standardised with training statistics; the target
log price is centred and scaled with the training mean/std. Price per m² falls with distance
and age, rises with condition and a small lot premium; sale noise 8 %. MSE on the scaled log
price, Adam 1e-3, batch 128, 20 epochs of 6000 sales; JSON lines per epoch (``epoch``,
``rmse_log_train``, ``rmse_log_val``, ``mape_val_pct``).
Bug: the validation sales are not a held-out slice of the training market: they are the 2023
sales of another county the team also covers (``sales("riverton", ...)``), a newer exurban
market — homes of 160–320 m² on 1500–6000 m² lots, 18–45 km from its centre, mostly built
after 2000, with its own price level — while the model trains on the 2019 sales of a compact
city (``"ashford"``: 60–200 m², 150–900 m² lots, 0.5–15 km out). Training is healthy (train
RMSE of the log price 0.124 → 0.078, at the 8 % sale noise), the validation error is large from
the first epoch: val RMSE 0.82, 0.63, 0.52, 0.45, 0.33, then 0.23–0.28 (0.28 at epoch 20, 3.6 ×
train), val MAPE 123 % → 21 %, and creeping up over the last epochs. The control (validation on
1000 more ashford sales, ``sales("ashford", 1000, g)``) gives val RMSE 0.081, MAPE 6.2 %."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

COLS = ["living_m2", "lot_m2", "age_y", "bedrooms", "bathrooms", "dist_km", "condition",
        "garage", "month"]
CITY = {"ashford": dict(area=(60, 200), lot=(150, 900), dist=(0.5, 15), age=(0, 90),
                        base=8.6, per_km=-0.035),
        "riverton": dict(area=(160, 320), lot=(1500, 6000), dist=(18, 45), age=(0, 25),
                         base=7.9, per_km=-0.012)}


def sales(city, n, g):
    c = CITY[city]
    r = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)  # noqa: E731
    area, lot, dist, age = r(*c["area"]), r(*c["lot"]), r(*c["dist"]), r(*c["age"])
    beds = (area / 35 + torch.randn(n, generator=g) * 0.6).round().clamp(1, 7)
    baths = (area / 70 + torch.randn(n, generator=g) * 0.4).round().clamp(1, 4)
    cond = torch.randint(1, 6, (n,), generator=g).float()
    garage = (torch.rand(n, generator=g) < 0.6).float()
    month = torch.randint(1, 13, (n,), generator=g).float()
    logp = (c["base"] + torch.log(area) + c["per_km"] * dist - 0.004 * age + 0.06 * (cond - 3)
            + 0.08 * torch.log(lot / 400) + 0.05 * garage + 0.08 * torch.randn(n, generator=g))
    return torch.stack([area, lot, age, beds, baths, dist, cond, garage, month], 1), logp


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ptr = sales("ashford", 6000, g)
    xva, pva = sales("riverton", 1000, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    pm, ps = ptr.mean(), ptr.std()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ttr, tva = (ptr - pm) / ps, (pva - pm) / ps
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "avm_metrics.jsonl", "w")
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(6000)
        tot = 0.0
        for i in range(0, 6000, 128):
            idx = perm[i:i + 128]
            loss = F.mse_loss(model(xtr[idx]).squeeze(1), ttr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva).squeeze(1) * ps + pm
            pt = model(xtr).squeeze(1) * ps + pm
            rec = {"epoch": epoch, "train_mse_scaled": round(tot / 6000, 5),
                   "rmse_log_train": round(((pt - ptr) ** 2).mean().sqrt().item(), 4),
                   "rmse_log_val": round(((pv - pva) ** 2).mean().sqrt().item(), 4),
                   "mape_val_pct": round(100 * ((pv - pva).exp() - 1).abs().mean().item(), 2)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"avm_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20, "features": COLS, "x_mean": mu, "x_std": sd,
                "logp_mean": pm, "logp_std": ps}, out / "avm_mlp_2019.pt")
    finish(out, __file__, (xva[:128], tva[:128]), causes=["distribution_shift"],
           checkpoint="avm_mlp_2019.pt", log="avm_metrics.jsonl",
           what="AVM appraisal MLP trained on one city's 2019 sales, validated on another "
                "county's 2023 sales with other feature ranges",
           complaint="The valuation model fits our training sales well (RMSE 0.078 in log price), "
                     "but on the validation sales it is off by 21% on average (val RMSE 0.28) and "
                     "it was much worse at the start (123% error after epoch 1). More epochs "
                     "don't close the gap; the val error even rose again from 0.23 to 0.28.")


if __name__ == "__main__":
    main()
