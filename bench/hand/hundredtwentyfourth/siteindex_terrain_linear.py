"""Forestry: predicting the site index of Norway-spruce plots (dominant height in m at age 50, the
stand's productivity) from seven GIS terrain and climate covariates of each inventory plot:
elevation m, slope °, aspect ° (compass, 0 = north), topographic wetness index, soil depth cm,
annual precipitation mm and distance to the nearest stream m. Synthetic plots: site index has
an optimum elevation (too low is dry, too high is cold), is higher on north- and east-facing
slopes and lower on steep south-west faces (cos/sin of aspect times slope), rises with wetness
up to waterlogging (a hump in TWI), saturates with soil depth, plus measurement noise σ 1.0 m.
Covariates standardised with the training mean / std, the site index centred on 24 m and divided
by 5. An MLP whose hidden layers come from ``HIDDEN``, Adam 1e-2 with per-epoch cosine, batch
128, 40 epochs of 4000 plots; JSON lines per epoch (``ep``, ``rmse_train_m``, ``rmse_val_m``,
``r2_val``).
Bug: ``HIDDEN = ()`` — the model is one ``nn.Linear(7, 1)`` (the linear baseline kept as the
model), on a target that is a hump in elevation and TWI and periodic in aspect (0° and 360° are
the same north slope, a linear model sees them as the two ends of the scale). Train / val RMSE
5.48 / 5.60 m from epoch 2 to 40 (5.47 / 5.60 at the end; the site-index std is 5.7 m), val R²
0.05 from the first epoch — the model explains almost nothing and is level from the start.
Control (``HIDDEN = (64, 64)``): train / val RMSE 0.94 / 1.17 m, val R² 0.959 (0.84 after
epoch 1)."""
import json

import torch
import torch.nn as nn

COVARIATES = ["elevation_m", "slope_deg", "aspect_deg", "twi", "soil_depth_cm", "precip_mm",
              "stream_dist_m"]
HIDDEN = ()


def plots(n, g):
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)  # noqa: E731
    elev = u(200, 1400)
    slope = u(0, 35)
    aspect = u(0, 360)
    twi = u(3, 15)
    soil = u(10, 120)
    precip = 600 + 0.6 * elev + 80 * torch.randn(n, generator=g)
    stream = torch.exp(u(2, 7))
    a = torch.deg2rad(aspect)
    si = (26 - 9 * ((elev - 750) / 450) ** 2
          + 0.12 * slope * (torch.cos(a) + 0.5 * torch.sin(a))
          + 3.5 * torch.exp(-((twi - 9) / 3) ** 2) - 2.0 * (twi > 13).float()
          + 4 * (1 - torch.exp(-soil / 30)) + 0.002 * (precip - 1000) - 0.2 * torch.log(stream))
    si = si + 1.0 * torch.randn(n, generator=g)
    return torch.stack([elev, slope, aspect, twi, soil, precip, stream], 1), si


class SiteIndexNet(nn.Module):
    def __init__(self, hidden=HIDDEN):
        super().__init__()
        layers, d = [], len(COVARIATES)
        for h in hidden:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        self.body = nn.Sequential(*layers, nn.Linear(d, 1))

    def forward(self, x):
        return self.body(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return SiteIndexNet()


def main():
    from _hundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, si = plots(5000, g)
    mu, sd = x[:4000].mean(0), x[:4000].std(0)
    x = (x - mu) / sd
    y = (si - 24) / 5
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    torch.manual_seed(1)
    with open(out / "siteindex_log.jsonl", "w") as log:
        for ep in range(1, 41):
            model.train()
            perm = torch.randperm(4000)
            sse = 0.0
            for i in range(0, 4000, 128):
                idx = perm[i:i + 128]
                loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sse += loss.item() * len(idx)
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"ep": ep, "rmse_train_m": round(5 * (sse / 4000) ** 0.5, 3),
                   "rmse_val_m": round(5 * ((pv - yva) ** 2).mean().item() ** 0.5, 3),
                   "r2_val": round(1 - ((pv - yva) ** 2).sum().item()
                                   / ((yva - yva.mean()) ** 2).sum().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 40,
                "covariates": COVARIATES, "cov_mean": mu, "cov_std": sd, "si_center_m": 24,
                "si_scale_m": 5}, out / "siteindex_net.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["underfitting"],
           checkpoint="siteindex_net.pt", log="siteindex_log.jsonl",
           what="site-index regressor that is a single nn.Linear (HIDDEN = ()) on a nonlinear "
                "terrain response",
           complaint="立地指数模型基本没学到东西：训练了 40 个 epoch，训练集 RMSE 一直是 "
                     "5.47 m，验证集 5.60 m，R² 只有 0.05，从第二个 epoch 起就完全不动了。"
                     "学习率从 1e-2 用余弦退火降下来也没有用。立地指数本身的标准差大约 5.7 m，"
                     "所以模型几乎等于只预测平均值。")


if __name__ == "__main__":
    main()
