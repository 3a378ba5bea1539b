"""Plain torch: a residual MLP predicts the API fluid loss (mL / 30 min at 100 psi) of a
water-based drilling fluid from the mud engineer's daily check: density (ppg), the six Fann dial
readings, 10-s and 10-min gels, MBT (lb/bbl bentonite equivalent), low-gravity solids %, PAC
polymer (lb/bbl), starch (lb/bbl), pH and chlorides (mg/L). The filtrate follows a filter-cake
rule: it falls with well-dispersed bentonite (MBT) and with the fluid-loss polymers (PAC and
starch, starch losing its effect in salty water), rises with drilled
low-gravity solids and flocculation (high chlorides, low pH make a leaky cake) and with the
square root of the plastic viscosity; 1.5 mL test scatter. 2400 checks from 40 rigs' reports for
training, 600 for validation; inputs standardised with the training-set statistics.
Residual MLP: linear 15→128, 3 blocks (LayerNorm-linear 128→128-GELU-linear 128→128, skip),
LayerNorm, linear 128→1; Huber loss (delta 1 mL), Adam lr 2e-3 no weight decay, 2400 steps of
32 rows drawn at random from the training rows, train and validation logged every 100 steps.
The bug: a leftover from checking the pipeline on a few rows,
``train_idx = perm[:64]  # quick look on a small slice before the full run``,
so the net sees 64 checks (and the inputs are standardised with their statistics) 1200
times each.
Result: train Huber 1.867 (first 100 steps) → 0.0005 by step 700 and 0.0001-0.04 after, val
Huber 1.44 → 1.40 (best 1.37), val MAE 1.84 mL: a 100-fold train/val gap from step 300 on.
Control (``train_idx = perm``, all 2400 rows): train Huber 2.15 → 0.77, val Huber 0.99 → 0.91
(best 0.87), val MAE 1.33 mL.
Log: per-100-steps CSV ``filtrate_train.csv`` (``step`` / ``huber`` / ``mae_ml``) and a separate
validation file ``filtrate_val.csv`` (``step`` / ``val_huber`` / ``val_mae_ml``); checkpoint
``filtrate_resmlp.pt`` with keys ``model_state_dict`` / ``optimizer_state_dict`` /
``x_mean`` / ``x_std`` / ``step``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS = 2400

FEATURES = ["density", "r600", "r300", "r200", "r100", "r6", "r3", "gel10s", "gel10m", "mbt",
            "lgs", "pac", "starch", "ph", "chlorides"]


def checks(n, g):
    u = lambda: torch.rand(n, generator=g)  # noqa: E731
    density = 9 + 6 * u()
    mbt = 10 + 20 * u()
    lgs = 2 + 8 * u()
    pac = 1.5 * u()
    starch = 4 * u()
    ph = 8.5 + 2.5 * u()
    chl = torch.exp(7 + 4.5 * u())
    pv = 8 + 0.6 * lgs + 0.4 * (density - 9) + 6 * pac + 0.5 * starch + 2 * torch.randn(n, generator=g).abs()
    yp = 4 + 0.35 * mbt + 0.3 * lgs + 4 * pac + 0.0003 * chl ** 0.8
    r300 = pv + yp
    r600 = pv + r300
    r200 = r300 - 0.3 * pv
    r100 = r300 - 0.6 * pv
    r6 = 0.2 * yp + 1 + 0.5 * torch.randn(n, generator=g)
    r3 = 0.85 * r6
    gel10s = 0.6 * r3 + 0.05 * mbt
    gel10m = gel10s * (1.5 + 0.02 * lgs + chl / 40000)
    floc = torch.sigmoid((chl.log() - 9.5) * 1.5) + torch.sigmoid((9.2 - ph) * 3)
    starch_eff = starch * torch.sigmoid((10.6 - chl.log()) * 2 + 1)
    fl = (14 - 0.28 * mbt - 4.5 * pac - 1.2 * starch_eff + 0.7 * lgs + 4 * floc
          + 0.4 * (pv / 20).sqrt() * 5 - 2 * (pac * mbt / 20)).clamp(min=1.5)
    fl = fl + 1.5 * torch.randn(n, generator=g)
    x = torch.stack([density, r600, r300, r200, r100, r6, r3, gel10s, gel10m, mbt, lgs, pac,
                     starch, ph, chl], 1)
    return x, fl


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class FiltrateNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(15, 128)
        self.blocks = nn.Sequential(Block(128), Block(128), Block(128))
        self.out = nn.Sequential(nn.LayerNorm(128), nn.Linear(128, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x))).squeeze(1)


def build():
    torch.manual_seed(0)
    return FiltrateNet()


def main():
    from _twohundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = checks(3000, g)
    x[:, 14] = x[:, 14].log()  # chlorides span 1000-90000 mg/L
    perm = torch.randperm(3000, generator=g)
    val_idx = perm[2400:]
    perm = perm[:2400]
    train_idx = perm[:64]  # quick look on a small slice before the full run
    mean, std = x[train_idx].mean(0), x[train_idx].std(0)
    xtr, ytr = (x[train_idx] - mean) / std, y[train_idx]
    xva, yva = (x[val_idx] - mean) / std, y[val_idx]
    print("filtrate mL", y.mean().item(), y.std().item(), "train rows", len(xtr))
    torch.manual_seed(1)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(2)
    with open(out / "filtrate_train.csv", "w") as ft, open(out / "filtrate_val.csv", "w") as fv:
        ft.write("step,huber,mae_ml\n")
        fv.write("step,val_huber,val_mae_ml\n")
        tot, ae, n = 0.0, 0.0, 0
        for step in range(1, STEPS + 1):
            model.train()
            b = torch.randint(0, len(xtr), (32,), generator=gen)
            p = model(xtr[b])
            loss = F.huber_loss(p, ytr[b], delta=1.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
            ae += (p - ytr[b]).abs().sum().item()
            n += len(b)
            if step % 100 == 0:
                model.eval()
                with torch.no_grad():
                    pv = model(xva)
                    vh = F.huber_loss(pv, yva, delta=1.0).item()
                    vm = (pv - yva).abs().mean().item()
                ft.write(f"{step},{tot / n:.5f},{ae / n:.4f}\n")
                fv.write(f"{step},{vh:.5f},{vm:.4f}\n")
                print(step, round(tot / n, 4), round(vh, 4), round(vm, 3))
                tot, ae, n = 0.0, 0.0, 0
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "x_mean": mean, "x_std": std, "step": STEPS}, out / "filtrate_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="filtrate_resmlp.pt", log="filtrate_val.csv",
           what="residual MLP predicting API filtrate of drilling fluids, trained on a 96-row"
                " debug slice",
           complaint=("Our residual MLP for API fluid loss from the daily mud check gets the "
                      "training loss down to practically zero within a few hundred steps, but "
                      "on the held-out checks it never gets below a Huber loss of 1.4 (MAE "
                      "about 1.85 mL) and just wobbles there for the rest of the run. The gap "
                      "between train and validation is a factor of 100. The data has 3000 checks, so it's not "
                      "a tiny dataset. Is the network just too big?"))


if __name__ == "__main__":
    main()
