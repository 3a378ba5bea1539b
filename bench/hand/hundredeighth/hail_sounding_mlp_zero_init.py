"""Hail size from the pre-storm environment: an MLP sorts storm reports into no hail / small
hail (< 2.5 cm) / severe hail (≥ 2.5 cm) from 8 proximity-sounding parameters — MUCAPE
(J/kg), 0–6 km bulk shear (m/s), 700–500 hPa lapse rate (K/km), freezing-level height (m),
precipitable water (mm), 0–3 km storm-relative helicity (m²/s²), LCL height (m) and the
−10 to −30 °C layer depth (m) — synthesised with a severe-hail score driven by CAPE, shear,
lapse rate and a low freezing level (melting shrinks stones), plus noise. Features
standardised with the training statistics; MLP 8 → 64 → 64 → 3 (ReLU, dropout 0.1), with an
``_init_weights`` hook applied by ``self.apply`` in the constructor. Adam 1e-3, batch 128,
1200 iterations over 5000 reports; CSV every 50 iterations with train NLL, valid NLL, valid
accuracy and the critical success index for severe hail.
Bug: ``_init_weights`` was meant to zero the biases and became ``nn.init.zeros_`` on the
weights too (every Linear starts at all zeros). Every hidden unit is 0, no gradient reaches
any weight, only the output bias learns: the model predicts the class frequencies for every
report. Train NLL 1.097 and valid NLL 1.0987 (ln 3 = 1.0986) from iteration 50 to 1200, valid
accuracy 0.35 (= the no-hail share; all 1000 reports called "no hail"), severe-hail CSI 0. The
control (``kaiming_uniform_`` on the weights): valid NLL 0.41, accuracy 0.814, CSI 0.745."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURES = ["mucape", "shear06", "lapse75", "frz_lvl", "pwat", "srh03", "lcl", "hgz_depth"]


def reports(n, g):
    z = torch.randn(n, 8, generator=g)
    cape = 2200 * torch.exp(0.6 * z[:, 0] - 0.18)
    shear = (18 + 8 * z[:, 1]).clamp_min(0)
    lapse = 6.8 + 0.8 * z[:, 2]
    frz = 3800 + 500 * z[:, 3]
    pwat = (32 + 9 * z[:, 4] + 0.3 * (frz - 3800) / 100).clamp_min(5)
    srh = (150 + 90 * z[:, 5] + 3 * shear).clamp_min(0)
    lcl = (1200 + 400 * z[:, 6]).clamp_min(200)
    hgz = 2600 + 300 * z[:, 7] + 0.1 * cape ** 0.5
    score = (0.9 * torch.log(cape / 1500) + 0.09 * (shear - 18) + 0.8 * (lapse - 6.8)
             - 0.0012 * (frz - 3800) + 0.002 * (srh - 150) + 0.4 * torch.randn(n, generator=g))
    y = (score > -0.2).long() + (score > 0.9).long()
    x = torch.stack([cape, shear, lapse, frz, pwat, srh, lcl, hgz], 1)
    return x, y


class HailMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 3))
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return HailMLP()


def csi(pred, y, k=2):
    hit = ((pred == k) & (y == k)).sum().item()
    return hit / max(hit + ((pred == k) & (y != k)).sum().item() + ((pred != k) & (y == k)).sum().item(), 1)


def main():
    from _hundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = reports(6000, g)
    mu, sd = x[:5000].mean(0), x[:5000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:5000], y[:5000], x[5000:], y[5000:]
    print("class counts", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "hail_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iteration", "train_nll", "valid_nll", "valid_accuracy", "valid_csi_severe"])
    run, seen, it = 0.0, 0, 0
    while it < 1200:
        perm = torch.randperm(5000, generator=g)
        for i in range(0, 5000 - 127, 128):
            model.train()
            idx = perm[i:i + 128]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            run += loss.item()
            seen += 1
            it += 1
            if it % 50 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                    p = lv.argmax(1)
                    row = [it, round(run / seen, 4), round(F.cross_entropy(lv, yva).item(), 4),
                           round((p == yva).float().mean().item(), 4), round(csi(p, yva), 4)]
                w.writerow(row)
                run, seen = 0.0, 0
                if it % 200 == 0:
                    print(row, torch.bincount(p, minlength=3).tolist())
            if it >= 1200:
                break
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "iteration": it,
                "feature_names": FEATURES, "mu": mu, "sd": sd}, out / "hail_mlp_it1200.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["zero_weight_init"],
           checkpoint="hail_mlp_it1200.pt", log="hail_metrics.csv",
           what="hail-size MLP from sounding parameters, every Linear weight initialised to zero",
           complaint="The hail model does not learn anything. After 1200 iterations the training "
                     "NLL is 1.097 and validation NLL 1.0987, the same as at iteration 50, "
                     "validation accuracy is stuck at 0.35 and it predicts 'no hail' for every "
                     "single report, so CSI for severe hail is 0.")


if __name__ == "__main__":
    main()
