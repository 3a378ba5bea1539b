"""Plain torch: an MLP flags survey points at risk of a sinkhole through the cover (binary: a
doline opened within 200 m in the five years after the survey) from 6 readings: InSAR
subsidence rate (mm/yr), overburden thickness over the carbonate bedrock from a probe (m), water-table
drawdown from the nearest supply well (m), distance to the nearest mapped doline (m), clay
fraction of the cover, and the slope of the ground (°). The risk is logistic in a score that
rises with subsidence and drawdown, is highest at 5-15 m of cover (thin cover spalls early,
thick cover bridges), falls off with distance to old dolines, with 5 % label noise; about a
fifth of points are positive. About 3 % of points have no probe, so their overburden reading is
NaN. Linear 6→64-ReLU-64-ReLU→1, BCEWithLogits, Adam 1e-3, batch 40, 15 epochs of 1600 points,
validation on 400 points (val BCE, val acc, val recall).
The bug: the script standardises with ``torch.nanmean`` and a NaN-aware std ("a few points
have no probe; nanmean keeps the stats clean") and feeds the standardised table straight in,
so the missing overburden readings stay NaN (37 of 1600 training points, 2.3 %). Result: train
and val BCE ``nan`` from epoch 1 to 15, val acc 0.780 every epoch (the share of negatives: every
point called safe), val recall 0.0.
Control (``torch.nan_to_num`` on the standardised table, i.e. missing cover → training mean):
train BCE 0.554 → 0.317, val BCE 0.437 → 0.334, val acc 0.780 → 0.873, val recall 0.0 → 0.55
(0.43-0.58 from epoch 2).
Log: TSV per epoch (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` / ``val_recall``) in
``sinkhole_train.tsv``; checkpoint ``cover_mlp.pth`` with keys ``model`` / ``optimizer`` /
``epoch`` / ``feature_mean`` / ``feature_std`` / ``features``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FEATURES = ["subsidence_mm_yr", "overburden_m", "drawdown_m", "dist_doline_m", "clay_frac",
            "slope_deg"]


def points(n, g):
    subs = 8 * torch.rand(n, generator=g) ** 2
    cover = 2 + 38 * torch.rand(n, generator=g)
    draw = 12 * torch.rand(n, generator=g)
    dist = 50 + 1950 * torch.rand(n, generator=g)
    clay = torch.rand(n, generator=g)
    slope = 15 * torch.rand(n, generator=g)
    score = (0.45 * subs + 0.25 * draw - 2.0 * ((cover - 10) / 8) ** 2 - dist / 500
             + 1.0 * (1 - clay) - 1.0)
    p = torch.sigmoid(2 * score)
    y = (torch.rand(n, generator=g) < p).float()
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, 1 - y, y)
    x = torch.stack([subs, cover, draw, dist, clay, slope], 1)
    no_probe = torch.rand(n, generator=g) < 0.03
    x[no_probe, 1] = float("nan")
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = points(1600, g)
    rva, yva = points(400, g)
    print("positives", ytr.mean().item(), "no probe", rtr[:, 1].isnan().sum().item())
    # a few points have no probe; nanmean keeps the stats clean
    mu = torch.nanmean(rtr, 0)
    sd = torch.nanmean((rtr - mu) ** 2, 0).sqrt()
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "sinkhole_train.tsv", "w") as f:
        f.write("epoch\tbce\tval_bce\tval_acc\tval_recall\n")
        for epoch in range(1, 16):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                logit = model(xva).squeeze(1)
            vb = F.binary_cross_entropy_with_logits(logit, yva).item()
            pred = (logit > 0).float()
            acc = (pred == yva).float().mean().item()
            rec = (pred * yva).sum().item() / max(1.0, yva.sum().item())
            line = f"{epoch}\t{tot / len(ytr):.5f}\t{vb:.5f}\t{acc:.4f}\t{rec:.4f}"
            print(line)
            f.write(line + "\n")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "feature_mean": mu, "feature_std": sd, "features": FEATURES},
               out / "cover_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="cover_mlp.pth", log="sinkhole_train.tsv",
           what="sinkhole-risk MLP on survey points where points without an overburden probe"
                " keep a NaN after NaN-aware standardisation",
           complaint=("Sinkhole risk model for our survey points: the loss column in the log is"
                      " nan from the very first epoch, for train and val, and the accuracy"
                      " sits at exactly 0.78 every epoch with recall 0, so it never flags a"
                      " single risky point. It is a small MLP on six readings (InSAR"
                      " subsidence, overburden, drawdown, distance to dolines, clay, slope),"
                      " standardised, Adam 1e-3. The readings look fine when I print the"
                      " means. Where does the nan come from?"))


if __name__ == "__main__":
    main()
