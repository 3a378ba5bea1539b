"""Plain torch: an MLP with a Gaussian head predicts the grain yield of a dryland grain
sorghum field (t/ha) and its uncertainty from what the agronomist knows by flowering, so
the co-op can book storage and the grower can decide on forward contracts. 8 inputs: soil
water at planting (mm), in-season rain to flowering (mm), growing degree days to flowering,
nitrogen applied (kg/ha), planting date (days after 1 May), hybrid maturity (days),
row spacing (cm), soil pH. Yield follows a water-limited rule: transpiration efficiency ×
(soil water + 0.7 × rain), capped by a heat / maturity potential, with a nitrogen response
that saturates, late planting and wide rows costing a little, acid soils more; the
weather after flowering (not known) adds noise that grows with the yield (± 8-12 %).
Input: (8,) standardised with the train mean / std. Target: (t/ha - 4) / 1.5.
Model: 8→64→ReLU→64→ReLU→2 (mean and log-variance); Gaussian negative log-likelihood,
Adam 1e-3, batch 128, 20 epochs, 2400 fields, validation on 600.
The bug: the loss is written as ``dist.log_prob(y).mean()``, the Gaussian log-likelihood
itself, without the minus, so Adam maximises the misfit: the logged loss falls from -1.55
to -3.2e9 while val NLL climbs from 2.16 to 3.6e9 and val RMSE from 2.2 to 6.3e3 t/ha
(control, ``-dist.log_prob(yb)``: loss 1.10 → -0.169, val NLL 0.94 → -0.060, val RMSE
0.86 → 0.367 t/ha).
Log: CSV per epoch ``yield_fit.csv`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_rmse_tha`` / ``val_sigma_tha``); checkpoint ``yield_gauss.pt`` with keys
``model_state`` / ``optim_state`` / ``epoch`` / ``feature_mean`` / ``feature_std`` /
``target_shift``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def fields(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    soil = 40 + 140 * r(n)
    rain = 50 + 250 * r(n)
    gdd = 1100 + 500 * r(n)
    nitro = 150 * r(n)
    plant = 60 * r(n)
    mat = 95 + 30 * r(n)
    rows = 50 + 50 * r(n)
    ph = 4.8 + 2.7 * r(n)
    water = 0.022 * (soil + 0.7 * rain)
    potential = 3.0 + 4.0 * (mat - 95) / 30 * (gdd / 1600)
    yld = torch.minimum(water, potential) * (0.6 + 0.4 * (1 - torch.exp(-nitro / 50)))
    yld = yld * (1 - 0.003 * plant) * (1 - 0.002 * (rows - 50)) * (1 - 0.15 * (ph < 5.5).float())
    yld = yld * (1 + (0.08 + 0.04 * r(n)) * torch.randn(n, generator=g))
    x = torch.stack([soil, rain, gdd, nitro, plant, mat, rows, ph], 1)
    return x, ((yld - 4) / 1.5).unsqueeze(1)


class YieldNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 2))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return YieldNet()


def gaussian(out):
    mu, logvar = out[:, :1], out[:, 1:].clamp(-6, 4)  # keep sigma in a sane range
    return torch.distributions.Normal(mu, torch.exp(0.5 * logvar))


def main():
    from _threehundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = fields(2400, g)
    rva, yva = fields(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "yield_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "loss", "val_loss", "val_rmse_tha", "val_sigma_tha"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                dist = gaussian(model(xb))
                loss = dist.log_prob(yb).mean()  # Gaussian likelihood of the observed yield
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                dv = gaussian(model(xva))
            row = [epoch, tot / len(xtr), -dv.log_prob(yva).mean().item(),
                   1.5 * ((dv.mean - yva) ** 2).mean().sqrt().item(),
                   1.5 * dv.stddev.mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row[1:]])
            print(row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 20, "feature_mean": mean, "feature_std": std,
                "target_shift": [4.0, 1.5]}, out / "yield_gauss.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="yield_gauss.pt", log="yield_fit.csv",
           what="MLP with a Gaussian head predicting dryland grain sorghum yield and its"
                " spread from what is known by flowering; the loss is the log-likelihood"
                " without its minus sign",
           complaint="Our sorghum yield model gets worse every epoch. The training loss"
                     " keeps going down, into big negative numbers, but the predictions"
                     " on the held-out fields end up thousands of t/ha away.")


if __name__ == "__main__":
    main()
