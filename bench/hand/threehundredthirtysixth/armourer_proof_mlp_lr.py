"""Plain torch: an MLP tells an armourer whether a hardened steel breastplate coupon will
pass the proof shot (a pistol ball at the test range) from its shop record: thickness (mm),
Brinell hardness, carbon (%), tempering temperature (°C), the strike obliquity (°) and the
coupon's areal mass (kg/m²). A plate stops the ball when its line-of-sight thickness
(t / cos θ) times a hardness factor (0.55 + 0.45 · HB / 500) is over 5.0 mm, unless it is
hard and barely tempered (HB > 560 with tempering under 220 °C: it cracks and lets the ball
through); 3 % of the range records are wrong either way.
Input: (6,) standardised with the training mean and spread. Model: Linear 6→64 + ReLU,
Linear 64→64 + ReLU, Linear 64→1; BCE with logits, SGD with momentum 0.9, batch 128,
30 epochs of 2400 coupons, validation on 600.
The bug: the step size was raised to ``lr = 3.0`` (``# loss crawled at 0.01, take bigger
steps``) for SGD with momentum 0.9: the train BCE leaps to 10-5225 within the first two
epochs and the net falls onto one answer: val accuracy 0.593 (the fail share, every coupon
called a fail) in 24 of 30 epochs and 0.407 (every coupon a pass) in 5, val BCE 1.61 → 0.68-0.80
(control, ``lr = 0.05``: val BCE 0.365 → 0.208, val acc 0.89 → 0.933).
Log: CSV per step ``proof_steps.csv`` (``it`` / ``ep`` / ``bce``) and a per-epoch CSV
``proof_val.csv`` (``ep`` / ``val_bce`` / ``val_acc`` / ``val_miss_cracks``, named as the
log in the truth); checkpoint ``proofnet.ckpt`` with keys ``mlp`` / ``sgd_state`` / ``ep``
/ ``feat_mean`` / ``feat_sd`` / ``features``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURES = ["thickness_mm", "brinell", "carbon_pct", "temper_c", "obliquity_deg", "areal_kg_m2"]


def coupons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 2.5 + 4.5 * r(n)
    carbon = 0.2 + 0.6 * r(n)
    temper = 150 + 450 * r(n)
    hb = (250 + 500 * carbon - 0.45 * (temper - 150) + 25 * torch.randn(n, generator=g)).clamp(180, 700)
    theta = 40 * r(n)
    areal = 7.85 * t * (1 + 0.01 * torch.randn(n, generator=g))
    eff = t / torch.cos(theta * math.pi / 180) * (0.55 + 0.45 * hb / 500)
    cracks = (hb > 560) & (temper < 220)
    stops = (eff > 5.0) & ~cracks
    flip = r(n) < 0.03
    y = (stops ^ flip).float()
    return torch.stack([t, hb, carbon, temper, theta, areal], 1), y.unsqueeze(1), cracks


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr, _ = coupons(2400, g)
    fva, yva, cva = coupons(600, g)
    mean, sd = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / sd, (fva - mean) / sd
    print("pass share", ytr.mean().item(), yva.mean().item(), "cracks", cva.float().mean().item())
    torch.manual_seed(0)
    model = build()
    lr = 3.0  # loss crawled at 0.01, take bigger steps
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    it = 0
    with open(out / "proof_steps.csv", "w", newline="") as fs, \
            open(out / "proof_val.csv", "w", newline="") as fv:
        steps, vals = csv.writer(fs), csv.writer(fv)
        steps.writerow(["it", "ep", "bce"])
        vals.writerow(["ep", "val_bce", "val_acc", "val_miss_cracks"])
        for ep in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            for b in range(0, len(xtr), 128):
                idx = perm[b:b + 128]
                loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                steps.writerow([it, ep, f"{loss.item():.6g}"])
                it += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
                vb = F.binary_cross_entropy_with_logits(logit, yva).item()
                pred = (logit > 0).float()
                acc = (pred == yva).float().mean().item()
                miss = (pred[cva] == 1).float().mean().item()
            vals.writerow([ep, f"{vb:.6g}", f"{acc:.4f}", f"{miss:.4f}"])
            print(ep, round(vb, 4), round(acc, 4), round(miss, 4))
    torch.save({"mlp": model.state_dict(), "sgd_state": opt.state_dict(), "ep": 30,
                "feat_mean": mean, "feat_sd": sd, "features": FEATURES}, out / "proofnet.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="proofnet.ckpt", log="proof_val.csv",
           what="MLP predicting whether a steel breastplate coupon passes the armourer's proof"
                " shot, SGD with momentum at a step size far too large",
           complaint="My proof-shot pass/fail net is stuck. In the first couple of epochs the"
                     " training BCE goes 0.7, 0.5, 1.4, 10, 177, 2643, 5224, then drops back to"
                     " about 0.68 and sits there. Validation accuracy is 0.593 almost every"
                     " epoch, which is exactly the share of coupons that fail, so it just calls"
                     " every plate a fail; every few epochs it flips to 0.407 and calls them all"
                     " a pass. Val BCE hovers at 0.68-0.80. Features are standardised and the"
                     " labels come from a pretty simple rule, so why won't it learn anything?")


if __name__ == "__main__":
    main()
