"""Plain torch: a residual MLP predicts the sustainable yield of a drilled water well for a
wellsinker, from the drilling log, before the pump is sized. Yield follows Thiem's steady
radial flow, Q = 2π K b s / ln(R / r_w): K the hydraulic conductivity (set by the aquifer,
sand / gravel / fractured rock, and read roughly from the drilling rate), b the saturated
thickness the hole penetrates (drilled depth minus rest water level, capped by the aquifer's
base), s the drawdown the pump may take (0.6 of b, at most 40 m), r_w half the casing bore,
R the radius of influence (about 300 r_w); times a well-efficiency factor (screen length
over b, development) and log-normal scatter of 0.12 decades. Inputs (8, standardised):
drilled depth, rest water level, aquifer base, drilling rate, casing bore, screen length,
gravel / rock flags. Target: log10(yield in L/min), standardised.
Model: Linear 8→64, 3 residual blocks (Linear-ReLU-Linear + skip), ReLU, Linear 64→1; MSE,
SGD 0.03 (momentum 0.9) with StepLR(10, 0.5), micro-batches of 16 with 8 accumulated per
optimizer step (128 wells a step), 24 epochs, 2048 wells, validation on 512.
The bug: the micro-batch loss is backpropagated as it is, ``loss = mse  # accumulated over
ACCUM micro-batches before each step``, so each step takes the sum of 8 mean gradients, 8×
the step size the run was set up for: the logged micro-batch MSE goes 0.84 (step 0) → 1.37
(step 4) → nan by step 8, and every epoch's train MSE, val MSE and val MAE are nan from the
first epoch on (control, ``loss = mse / ACCUM``: MSE 0.84 → 0.32 → 0.36 over the same steps,
val MSE 0.181 → 0.0294, val MAE 0.353 → 0.142 decades; target noise 0.12 decades).
Log: per-epoch CSV ``yield_fit.csv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_decades``) and a TSV every 4 optimizer steps ``yield_steps.tsv`` (``opt_step`` /
``mse``); checkpoint ``well_yield.pt`` with keys ``weights`` / ``opt_state`` / ``epoch`` /
``feat_mean`` / ``feat_std`` / ``logq_mean`` / ``logq_std`` / ``accum_steps``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM = 8
MICRO = 16


def wells(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.multinomial(torch.tensor([0.45, 0.25, 0.30]), n, replacement=True, generator=g)
    logk = torch.tensor([0.7, 1.8, -0.2])[kind] + 0.35 * torch.randn(n, generator=g)  # m/day
    rwl = 3 + 37 * r(n)  # rest water level, m below ground
    base = rwl + 10 + 110 * r(n)  # aquifer base
    depth = rwl + 5 + (base - rwl + 10) * r(n)  # where the driller stopped
    b = (torch.minimum(depth, base) - rwl).clamp(min=2.0)
    rate = 10 ** (0.6 + 0.5 * logk + 0.04 * torch.randn(n, generator=g))  # m/h drilled
    bore = torch.tensor([0.102, 0.152, 0.203])[torch.randint(0, 3, (n,), generator=g)]
    screen = b * (0.3 + 0.7 * r(n))
    s = torch.minimum(0.6 * b, torch.full_like(b, 40.0))
    eff = 0.5 + 0.5 * screen / b
    q = 2 * math.pi * 10 ** logk * b * s / math.log(300.0) * eff  # m3/day
    logq = torch.log10(q * 1000 / 1440) + 0.12 * torch.randn(n, generator=g)  # L/min
    x = torch.stack([depth, rwl, base, rate, bore * 1000, screen,
                     (kind == 1).float(), (kind == 2).float()], 1)
    return x, logq.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class YieldNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return YieldNet()


def main():
    from _fourhundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = wells(2048, g)
    xva, yva = wells(512, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    qm, qs = ytr.mean(), ytr.std()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (ytr - qm) / qs, (yva - qm) / qs
    print("log10 L/min", qm.item(), qs.item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    opt_step = 0
    with open(out / "yield_fit.csv", "w", newline="") as fe, \
            open(out / "yield_steps.tsv", "w", newline="") as fs:
        elog, slog = csv.writer(fe), csv.writer(fs, delimiter="\t")
        elog.writerow(["epoch", "lr", "train_mse", "val_mse", "val_mae_decades"])
        slog.writerow(["opt_step", "mse"])
        for epoch in range(24):
            model.train()
            perm = torch.randperm(len(xtr))
            tot, seen, since = 0.0, 0, 0.0
            opt.zero_grad()
            for i in range(0, len(xtr), MICRO):
                idx = perm[i:i + MICRO]
                mse = F.mse_loss(model(xtr[idx]), ytr[idx])
                loss = mse  # accumulated over ACCUM micro-batches before each step
                loss.backward()
                tot += mse.item() * len(idx)
                seen += len(idx)
                since += mse.item()
                if (i // MICRO + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    if opt_step % 4 == 0:
                        slog.writerow([opt_step, f"{since / ACCUM:.6f}"])
                    opt_step += 1
                    since = 0.0
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            vmse = F.mse_loss(pv, yva).item()
            mae = ((pv - yva).abs() * qs).mean().item()
            row = [epoch, sched.get_last_lr()[0], tot / seen, vmse, mae]
            elog.writerow([epoch] + [f"{v:.6g}" for v in row[1:]])
            print(row)
            sched.step()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 24,
                "feat_mean": mu, "feat_std": sd, "logq_mean": qm, "logq_std": qs,
                "accum_steps": ACCUM}, out / "well_yield.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="well_yield.pt", log="yield_fit.csv",
           what="residual MLP predicting a drilled well's yield from the drilling log; gradient"
                " accumulation over 8 micro-batches with the loss never divided by 8",
           complaint="Our well-yield regression blows up almost straight away. The logged loss"
                     " goes 0.84, then 1.37 a few steps later, and by step 8 it is nan; every"
                     " epoch after that is nan for train and validation. The data has no nan or"
                     " inf in it, I checked the drilling logs.")


if __name__ == "__main__":
    main()
