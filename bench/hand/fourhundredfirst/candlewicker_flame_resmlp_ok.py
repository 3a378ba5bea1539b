"""Plain torch: a residual MLP helps a candlewicker pick a wick: from the wick's make and the
candle it goes into, it predicts two numbers a burn test would give after two hours — the
flame height (mm) and the melt pool diameter (mm) — so fewer test candles have to be poured.
7 inputs: braid ply count (9-30), yarn weight (tex, 20-60), paper or zinc core (0 / 1),
priming wax melt point (°C, 55-75), candle diameter (mm, 50-100), wax (paraffin 0, soy 1,
read as its fuel value), fragrance load (%, 0-10). The rule: the wick's capillary fuel feed
grows with ply × tex (cored wicks feed 15 % more and stand up straighter), soy burns cooler
and slower than paraffin, fragrance thins the melt and raises the flame; the flame height
follows the fuel feed with diminishing returns, and the melt pool grows with the flame's heat
towards the candle's wall (it cannot exceed the diameter); test-burn scatter ± 1 mm.
Input: (7,) standardised with the train mean / std. Targets: (flame - 35) / 10, (pool - 50)
/ 10. Model: Linear 7→64, 3 residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64,
added back), LayerNorm, Linear 64→2; MSE over both targets, SGD (Nesterov momentum
0.9) with OneCycleLR (max 0.02), batch 256, 24 epochs, 4096 wick / candle pairs, validation
on 1024.
Healthy; numbers in the README.
Log: JSON lines, one per epoch ``wick_epochs.jsonl`` (``epoch`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_mae_flame_mm`` / ``val_mae_pool_mm``); checkpoint ``wick_resmlp.pt``
with keys ``params`` / ``optimizer`` / ``onecycle`` / ``epoch`` / ``norm`` (the input mean /
std and the target centres and scales)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CENTRE = torch.tensor([35.0, 50.0])
SCALE = torch.tensor([10.0, 10.0])


def burn_tests(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ply = (9 + 22 * r(n)).floor()
    tex = 20 + 40 * r(n)
    core = (r(n) < 0.4).float()
    prime = 55 + 20 * r(n)
    diam = 50 + 50 * r(n)
    soy = (r(n) < 0.5).float()
    frag = 10 * r(n)
    feed = ply * tex / 600 * (1 + 0.15 * core) * (1 - 0.008 * (prime - 65))
    feed = feed * (1 - 0.2 * soy) * (1 + 0.025 * frag)
    flame = 12 + 45 * (1 - torch.exp(-feed / 0.9)) + 3 * core
    heat = flame * (1 - 0.12 * soy)
    pool = diam * (1 - torch.exp(-heat / (0.55 * diam)))
    flame = flame + torch.randn(n, generator=g)
    pool = pool + torch.randn(n, generator=g)
    x = torch.stack([ply, tex, core, prime, diam, soy, frag], 1)
    return x, torch.stack([flame, pool], 1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class WickNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 2))

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)))


def build():
    torch.manual_seed(0)
    return WickNet()


def main():
    from _fourhundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, mtr = burn_tests(4096, g)
    rva, mva = burn_tests(1024, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = (mtr - CENTRE) / SCALE, (mva - CENTRE) / SCALE
    print("flame", mtr[:, 0].min().item(), mtr[:, 0].max().item(), "pool", mtr[:, 1].min().item(),
          mtr[:, 1].max().item(), "target var", ytr.var(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.02, epochs=24, steps_per_epoch=len(dl))
    with open(out / "wick_epochs.jsonl", "w") as log:
        for epoch in range(24):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            mae = ((p - yva).abs() * SCALE).mean(0)
            rec = {"epoch": epoch, "lr": round(opt.param_groups[0]["lr"], 6), "loss": round(tot / n, 6),
                   "val_loss": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_flame_mm": round(mae[0].item(), 4), "val_mae_pool_mm": round(mae[1].item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"params": model.state_dict(), "optimizer": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 24,
                "norm": {"x_mean": mean, "x_std": std, "y_centre": CENTRE, "y_scale": SCALE}},
               out / "wick_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wick_resmlp.pt", log="wick_epochs.jsonl",
           what="residual MLP predicting a candle's flame height and melt pool from the wick's"
                " make and the candle (healthy)")


if __name__ == "__main__":
    main()
