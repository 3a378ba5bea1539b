"""Plain torch: an MLP tells a welldigger how deep a hand-dug well will have to go before it
strikes water, so the crew can quote the job and order enough concrete rings. 5 inputs per
site: ground height above the nearest stream (m, 1-25), distance to the stream (m, 20-800),
last wet season's rain (mm, 400-1400), clay share of the topsoil (0-0.6) and slope (%,
0-15). The water table follows the ground but flatter (it sits about 0.55 of the height above
the stream down, more far from the stream), rises after a wet season and sits deeper under
clay and on slopes: depth = 3 + 0.55 h + 0.004 d - 0.006 (rain - 900) + 5 clay + 0.12 slope
+ reading noise (0.4 m), in metres (mean about 12 m). Input: standardised with the train
mean / std; target in metres as the crew logs it. Model: 5→64→ReLU→64→ReLU→1; MSE, Adam
3e-3, batch 64, 30 epochs, 1500 sites, validation on 400.
The bug: every layer is built ``bias=False`` (the inputs are standardised, so the author took
the offsets to be unneeded); with ReLU and no offsets the net is positively homogeneous
(f(2x) = 2 f(x), f(0) = 0), so it cannot hold the 12 m a typical site needs and has to make
it up from the size of the input vector: val MSE 63.0 → 8.26 m², MAE 6.76 → 2.24 m (1.74 m
on sites deeper than 18 m), train MSE 141 → 6.78 (control, ``bias=True``: val MSE 61.9 →
0.200 m², MAE 6.73 → 0.364 m against the 0.4 m reading noise).
Log: JSON lines per epoch ``dig_log.jsonl`` (``epoch`` / ``train_mse_m2`` / ``val_mse_m2`` /
``val_mae_m`` / ``val_mae_m_deep``, the last on sites deeper than 18 m); checkpoint
``strike_depth.pt`` with keys ``weights`` / ``adam_state`` / ``epoch`` / ``feat_mean`` /
``feat_std`` / ``features``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FEATURES = ["height_above_stream_m", "distance_to_stream_m", "wet_season_rain_mm",
            "clay_share", "slope_pct"]


def sites(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = 1 + 24 * r(n) ** 1.3
    d = 20 + 780 * r(n)
    rain = 400 + 1000 * r(n)
    clay = 0.6 * r(n)
    slope = 15 * r(n) ** 2
    depth = (3 + 0.55 * h + 0.004 * d - 0.006 * (rain - 900) + 5 * clay + 0.12 * slope
             + 0.4 * torch.randn(n, generator=g))
    return torch.stack([h, d, rain, clay, slope], 1), depth.clamp(min=1.0).unsqueeze(1)


def dense(i, o):
    return nn.Linear(i, o, bias=False)  # inputs are standardised, so the layers need no offsets


class StrikeDepthNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(dense(5, 64), nn.ReLU(), dense(64, 64), nn.ReLU(), dense(64, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return StrikeDepthNet()


def main():
    from _fourhundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = sites(1500, g)
    rva, yva = sites(400, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("depth mean / sd", ytr.mean().item(), ytr.std().item(), "deep", (yva > 18).sum().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    deep = yva[:, 0] > 18
    with open(out / "dig_log.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            err = (pred - yva).abs()[:, 0]
            row = {"epoch": epoch, "train_mse_m2": round(tot / len(xtr), 5),
                   "val_mse_m2": round(F.mse_loss(pred, yva).item(), 5),
                   "val_mae_m": round(err.mean().item(), 4),
                   "val_mae_m_deep": round(err[deep].mean().item(), 4)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 30,
                "feat_mean": mu, "feat_std": sd, "features": FEATURES}, out / "strike_depth.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="strike_depth.pt", log="dig_log.jsonl",
           what="MLP giving a hand-dug well's depth to water from the site; every Linear layer"
                " built with bias=False",
           complaint="Well-depth model for quoting hand-dug wells: after 30 epochs it is still off by"
                     " 2.2 m on average on held-out sites (val MSE 8.3 m²), and the training MSE"
                     " stopped at about 6.8 after the first few epochs, though our depth records"
                     " are good to about half a metre. More epochs do not change it.")


if __name__ == "__main__":
    main()
