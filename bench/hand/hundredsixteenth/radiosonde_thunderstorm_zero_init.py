"""Thunderstorm nowcast from the morning radiosonde: an MLP reads a sounding on 16 pressure
levels (1000–250 hPa; temperature, dew point, u and v wind: 64 numbers, standardised per
column) and gives the probability of thunder at the station within the next 9 hours.
Synthetic soundings: a surface temperature and moisture, a lapse rate that may be steep or
stable aloft, a capping inversion of 0–4 K near 850 hPa, a moist or dry boundary layer and a
wind profile with 0–25 m/s of deep-layer shear. Thunder needs instability (a CAPE proxy from
the lapse rate and the boundary-layer moisture) *and* a weak cap, and is likelier with shear;
about 45 % of the soundings are followed by thunder, 5 % of the labels are observer misses.
MLP 64→128→64→1 (ReLU), BCE with logits, Adam 1e-3, batch 64, 15 epochs of 4000 soundings; a
CSV log per epoch.
Bug: the weight-init helper was meant to Kaiming-initialise the weights and give the biases a
small positive value, but it reads ``nn.init.zeros_(m.weight)`` (+ ``constant_(m.bias, 0.01)``),
so every hidden unit of a layer starts identical and gets the identical update: the network
stays one unit wide, a monotone function of one projection of the sounding. Val AUC 0.63 after
epoch 1, 0.71 at the end, val BCE 0.673 → 0.554 (the base-rate BCE is 0.684), train BCE 0.59
and bouncing; the control (``kaiming_normal_(m.weight)``) reaches val AUC 0.945, val BCE 0.31,
train BCE 0.22."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

P = torch.tensor([1000, 950, 900, 850, 800, 750, 700, 650, 600, 550, 500, 450, 400, 350, 300,
                  250]).float()


def soundings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = 7.3 * torch.log(1000 / P)  # km, roughly
    t_sfc = 12 + 22 * r(n, 1)
    lapse = 5 + 4.5 * r(n, 1)  # K/km
    cap = 4 * r(n, 1) ** 2
    inv = cap * torch.exp(-((z - 1.5) / 0.4) ** 2)
    temp = t_sfc - lapse * z + inv + 0.3 * torch.randn(n, 16, generator=g)
    bl_moist = r(n, 1)
    dep_sfc = 1 + 14 * (1 - bl_moist)
    dep = dep_sfc + (3 + 15 * r(n, 1)) * (z / 10) + 2 * r(n, 16)
    dew = temp - dep
    shear = 25 * r(n, 1)
    ang = 6.283 * r(n, 1)
    u0, v0 = 8 * (r(n, 1) - 0.5), 8 * (r(n, 1) - 0.5)
    frac = z / z[-1]
    u = u0 + shear * frac * torch.cos(ang) + torch.randn(n, 16, generator=g)
    v = v0 + shear * frac * torch.sin(ang) + torch.randn(n, 16, generator=g)
    cape = (lapse - 6.0) * 1.2 + (bl_moist - 0.5) * 4 + (t_sfc - 22) * 0.08
    logit = 2.2 * torch.tanh(cape) * 1.0 - 2.0 * (cap - 1.2) + 0.05 * shear
    logit = torch.where((cape > 0) & (cap < 1.5), 1.5 + logit, -3.0 + 0.3 * logit)
    y = (torch.rand(n, 1, generator=g) < torch.sigmoid(2 * logit)).float()
    miss = (r(n, 1) < 0.05) & (y == 1)
    y = torch.where(miss, torch.zeros_like(y), y)
    return torch.cat([temp, dew, u, v], 1), y.squeeze(1)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)
        nn.init.constant_(m.bias, 0.01)  # small positive bias keeps the ReLUs alive


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                          nn.Linear(64, 1))
    model.apply(init_weights)
    return model


def auc(score, y):
    order = score.argsort()
    rank = torch.empty_like(score)
    rank[order] = torch.arange(1, len(score) + 1).float()
    npos = y.sum()
    return ((rank[y == 1].sum() - npos * (npos + 1) / 2) / (npos * (len(y) - npos))).item()


def main():
    from _hundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = soundings(5000, g)
    mu, sd = x[:4000].mean(0), x[:4000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    p0 = ytr.mean()
    print("thunder rate", p0.item(), "base-rate BCE",
          F.binary_cross_entropy(p0.expand_as(yva), yva).item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "sonde_mlp_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_bce", "val_bce", "val_auc"])
    for ep in range(15):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(xva).squeeze(1)
        row = [ep, round(tot / 4000, 4), round(F.binary_cross_entropy_with_logits(s, yva).item(), 4),
               round(auc(s, yva), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "ep": 15,
                "levels_hpa": P.tolist(), "x_mean": mu, "x_std": sd}, out / "sonde_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="sonde_mlp.pt", log="sonde_mlp_log.csv",
           what="radiosonde thunderstorm MLP, every Linear weight initialised to zero",
           complaint="My radiosonde thunderstorm classifier hardly learns anything. After 15 "
                     "epochs the training BCE is still around 0.59 and validation AUC is only 0.71 "
                     "(0.63 after the first epoch). Always predicting the climatological thunder "
                     "rate already gives a BCE of 0.68, and we get 0.55.")


if __name__ == "__main__":
    main()
