"""Plain torch: a residual MLP predicts how a batch of clay bricks comes out of a kilnman's
firing, from the firing record and the clay assay: fired linear shrinkage (%) and cold
water absorption (%), the two numbers the works checks before a batch goes to the yard.
Inputs: peak temperature (950-1150 °C), soak at peak (2-14 h), heating rate (20-80 °C/h),
flux oxides (K2O + Na2O + CaO, 2-8 %), iron oxide (2-9 %) and free quartz (15-40 %) in the
clay. The rule: a vitrification degree v rises with the peak temperature above a
vitrification point that the fluxes and iron pull down (about 1120 °C - 18 °C per % flux -
6 °C per % iron), saturating with the soak (time constant 4 h) and lowered a little by a
fast heating rate; shrinkage ≈ 1 + 7 v - 0.05 (quartz - 25) and absorption ≈ 19 - 15 v +
0.1 (quartz - 25), plus reading noise (0.15 % and 0.4 %).
Input: the six numbers standardised with the training mean / std; targets (shrinkage - 4) /
2.5 and (absorption - 11) / 5. Model: Linear 6→64, 3 residual blocks (LayerNorm → Linear
64→64 → SiLU → Linear 64→64, added back), LayerNorm, Linear 64→2; MSE, SGD 0.03 (Nesterov
momentum 0.9) with CosineAnnealingLR over 40 epochs, batch 40, 1600 batches, validation on
400.
Healthy; numbers in the README.
Log: one JSON line per epoch ``firing_fit.jsonl`` (``ep`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_shrink_pct`` / ``val_mae_absorb_pct``); checkpoint
``kiln_resmlp.pth`` with keys ``weights`` / ``opt_state`` / ``sched_state`` / ``ep`` /
``x_center`` / ``x_scale`` / ``y_center`` / ``y_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

Y_CENTER = torch.tensor([4.0, 11.0])
Y_SCALE = torch.tensor([2.5, 5.0])


def firings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    peak = 950 + 200 * r(n)
    soak = 2 + 12 * r(n)
    rate = 20 + 60 * r(n)
    flux = 2 + 6 * r(n)
    iron = 2 + 7 * r(n)
    quartz = 15 + 25 * r(n)
    tv = 1120 - 18 * flux - 6 * iron
    v = torch.sigmoid((peak - tv) / 25) * (1 - torch.exp(-soak / 4)) * (1 - 0.002 * (rate - 20))
    shrink = 1 + 7 * v - 0.05 * (quartz - 25) + 0.15 * torch.randn(n, generator=g)
    absorb = 19 - 15 * v + 0.1 * (quartz - 25) + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([peak, soak, rate, flux, iron, quartz], 1)
    return x, torch.stack([shrink, absorb], 1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class KilnResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 2))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return KilnResMLP()


def main():
    from _fourhundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr_raw, ytr_raw = firings(1600, g)
    xva_raw, yva_raw = firings(400, g)
    mu, sd = xtr_raw.mean(0), xtr_raw.std(0)
    xtr, xva = (xtr_raw - mu) / sd, (xva_raw - mu) / sd
    ytr, yva = (ytr_raw - Y_CENTER) / Y_SCALE, (yva_raw - Y_CENTER) / Y_SCALE
    print("target var", ytr.var(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    with open(out / "firing_fit.jsonl", "w") as log:
        for ep in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            mae = ((pv - yva).abs() * Y_SCALE).mean(0)
            rec = {"ep": ep, "lr": round(lr, 6), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 6),
                   "val_mae_shrink_pct": round(mae[0].item(), 4),
                   "val_mae_absorb_pct": round(mae[1].item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 40, "x_center": mu, "x_scale": sd,
                "y_center": Y_CENTER, "y_scale": Y_SCALE}, out / "kiln_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="kiln_resmlp.pth", log="firing_fit.jsonl",
           what="residual MLP predicting fired shrinkage and water absorption of a kiln's"
                " brick batch from the firing record and clay assay (healthy)")


if __name__ == "__main__":
    main()
