"""Tropical-cyclone rapid-intensification outlook: a tiny Transformer encoder reads the last 8
six-hourly best-track fixes of a storm (maximum wind, central pressure, latitude, motion speed,
and the environment along the track: sea surface temperature, ocean heat content, 850–200 hPa
vertical wind shear, mid-level humidity — 8 features, standardised) and sorts the next 24 h
into weakening / steady / rapid intensification (≥ 30 kt). Synthetic tracks: the potential
intensity rises with SST, the storm's distance below it, low shear, a moist mid-troposphere and
deep warm water favour intensification; high shear, dry air or cool water weaken it; the recent
wind trend carries on. Linear 8→32 + learned positions, 2 encoder layers (d 32, 4 heads, ff 64,
dropout 0.1), mean pooling, Linear → 3; cross-entropy, AdamW, weight decay 0.01, batch 64,
10 epochs of 3000 track segments; a CSV log every 10 steps with validation at epoch ends.
Bug: ``LR = 5e-2`` (the value of the author's gradient-boosting sweep) for AdamW on a
Transformer. The loss falls to 0.68 by step 70 (val accuracy 0.59 and 0.62 after epochs 1–2,
RI never predicted), then climbs to 1.22 at step 120 and sits at 0.93–1.05 — the class-prior
entropy 1.035 — for steps 140–280, with every validation track called "steady" after epochs 4,
5 and 9; at the end val loss 0.83, val accuracy 0.52, macro-F1 0.50, the last train losses
0.75–0.93 (shares 30 / 49 / 21 %). The control (lr 1e-3) reaches val accuracy 0.88,
macro-F1 0.88, val loss 0.26."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

LR = 5e-2
FEATURES = ["vmax_kt", "pmin_hpa", "lat", "speed_kt", "sst_c", "ohc_kjcm2", "shear_kt", "rh_mid"]


def tracks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    steps = torch.arange(8).float()
    sst = 25 + 5 * r(n, 1) + 0.2 * torch.randn(n, 8, generator=g)
    ohc = 20 + 100 * r(n, 1) + 3 * torch.randn(n, 8, generator=g)
    shear = 2 + 35 * r(n, 1) + (r(n, 1) - 0.5) * 1.5 * steps + 2 * torch.randn(n, 8, generator=g)
    rh = 35 + 50 * r(n, 1) + 3 * torch.randn(n, 8, generator=g)
    trend = (r(n, 1) - 0.4) * 4
    vmax = 35 + 80 * r(n, 1) + trend * steps + 2 * torch.randn(n, 8, generator=g)
    pmin = 1010 - 0.9 * vmax + 3 * torch.randn(n, 8, generator=g)
    lat = 10 + 20 * r(n, 1) + 0.3 * steps * r(n, 1)
    speed = 5 + 15 * r(n, 1) + torch.randn(n, 8, generator=g)
    x = torch.stack([vmax, pmin, lat, speed, sst, ohc, shear, rh], 2)
    mpi = 15 + 5.5 * (sst[:, -1] - 25) + 0.2 * ohc[:, -1]
    gap = (mpi * 5.5 - vmax[:, -1]).clamp(min=0)
    drive = (0.03 * gap - 0.12 * (shear[:, -1] - 15) + 0.06 * (rh[:, -1] - 55)
             + 0.02 * (ohc[:, -1] - 60) + 1.2 * trend[:, 0] - 0.1 * (lat[:, -1] - 20)
             + 0.3 * torch.randn(n, generator=g))
    y = (drive > 3.5).long() + (drive > 7.5).long()  # 0 weaken, 1 steady, 2 RI
    return x, y


class TrackEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.inp = nn.Linear(8, d)
        self.pos = nn.Parameter(torch.zeros(1, 8, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(d, 3)

    def forward(self, x):
        return self.out(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return TrackEncoder()


def macro_f1(pred, y):
    f = []
    for k in range(3):
        tp = ((pred == k) & (y == k)).sum().item()
        f.append(2 * tp / max(2 * tp + ((pred == k) & (y != k)).sum().item()
                              + ((pred != k) & (y == k)).sum().item(), 1))
    return sum(f) / 3


def main():
    from _hundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tracks(3600, g)
    mu, sd = x[:3000].mean((0, 1)), x[:3000].std((0, 1))
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    print("class shares", torch.bincount(ytr, minlength=3) / 3000.0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    f = open(out / "ri_train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "loss_tr", "loss_va", "acc_va", "f1_va"])
    step = 0
    for epoch in range(10):
        model.train()
        perm = torch.randperm(3000, generator=g)
        for i in range(0, 3000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                w.writerow([epoch, step, round(loss.item(), 4), "", "", ""])
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        row = [epoch, step, round(loss.item(), 4), round(F.cross_entropy(lo, yva).item(), 4),
               round((lo.argmax(1) == yva).float().mean().item(), 4),
               round(macro_f1(lo.argmax(1), yva), 4)]
        w.writerow(row)
        print(row, torch.bincount(lo.argmax(1), minlength=3).tolist())
    f.close()
    torch.save({"encoder_state": model.state_dict(), "adamw_state": opt.state_dict(),
                "epoch": 10, "features": FEATURES, "feat_mean": mu, "feat_std": sd},
               out / "ri_encoder.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="ri_encoder.pt", log="ri_train_log.csv",
           what="tiny Transformer on cyclone best-track fixes, AdamW at lr 0.05",
           complaint="The rapid-intensification model got worse while training. The loss was "
                     "0.68 around step 70, then jumped to 1.22 and stayed near 1.0 for a couple of "
                     "epochs; at some epochs it predicts 'steady' for every storm. After 10 epochs "
                     "validation accuracy is 0.52 (it was 0.62 after epoch 2) and macro-F1 0.50.")


if __name__ == "__main__":
    main()
