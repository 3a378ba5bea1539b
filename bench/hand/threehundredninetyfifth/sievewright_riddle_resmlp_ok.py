"""Plain torch: a residual MLP tells a sievewright how much of a charge of grain will fall
through a riddle in one minute of shaking, so a new mesh can be matched to the farm's
crop before it is woven. 8 inputs: aperture (mm, 2-8), wire diameter (mm, 0.5-1.6), grain
median size d50 (mm, 1.5-7), spread of the size distribution (log-normal σ, 0.1-0.4),
moisture (%, 10-20), shaking frequency (strokes per minute, 60-180), stroke (mm, 20-60),
charge (kg, 1-5). The rule is Gaudin's: a grain of size d passes one presentation with
probability ((a - d) / (a + w))² (0 for d ≥ a); the presentations per minute grow with
strokes × stroke, fall with the bed depth (charge) and with damp grain that clumps (above
14 %); the passing share is 1 - (1 - p)^N averaged over the size distribution (16 quantile
points); weighing noise ± 1 %.
Input: (8,) standardised with the train mean / std. Target: passing share (0-1) - 0.5.
Model: Linear 8→64, 3 residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64, added
back), LayerNorm, Linear 64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR, batch
128, 40 epochs, 3000 trials, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``riddle_fit.jsonl`` (``ep`` / ``lr`` / ``mse`` / ``val_mse`` /
``val_mae_pct``); checkpoint ``riddle_resmlp.pt`` with keys ``model_state`` / ``adamw_state``
/ ``onecycle_state`` / ``ep`` / ``feat_mean`` / ``feat_std`` / ``target_shift``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

Q = torch.distributions.Normal(0.0, 1.0).icdf((torch.arange(16) + 0.5) / 16)


def trials(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ap, wire = 2 + 6 * r(n, 1), 0.5 + 1.1 * r(n, 1)
    d50, sig = 1.5 + 5.5 * r(n, 1), 0.1 + 0.3 * r(n, 1)
    moist, freq, stroke, charge = 10 + 10 * r(n, 1), 60 + 120 * r(n, 1), 20 + 40 * r(n, 1), 1 + 4 * r(n, 1)
    d = d50 * torch.exp(sig * Q)  # (n, 16) sizes at the quantiles
    p = (((ap - d) / (ap + wire)).clamp(min=0)) ** 2
    clump = torch.exp(-0.25 * torch.relu(moist - 14))
    pres = 0.08 * freq * (stroke / 40) / (1 + 0.5 * charge) * clump
    share = (1 - (1 - p) ** pres).mean(1, keepdim=True)
    share = (share + 0.01 * torch.randn(n, 1, generator=g)).clamp(0, 1)
    x = torch.cat([ap, wire, d50, sig, moist, freq, stroke, charge], 1)
    return x, share


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class RiddleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return RiddleNet()


def main():
    from _threehundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, str_ = trials(3000, g)
    rva, sva = trials(750, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = str_ - 0.5, sva - 0.5
    print("share", str_.mean().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    epochs = 40
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * len(dl))
    with open(out / "riddle_fit.jsonl", "w") as log:
        for ep in range(epochs):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"ep": ep, "lr": round(sched.get_last_lr()[0], 7), "mse": round(tot / len(xtr), 7),
                   "val_mse": round(F.mse_loss(p, yva).item(), 7),
                   "val_mae_pct": round(100 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state": model.state_dict(), "adamw_state": opt.state_dict(),
                "onecycle_state": sched.state_dict(), "ep": epochs, "feat_mean": mean,
                "feat_std": std, "target_shift": 0.5}, out / "riddle_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="riddle_resmlp.pt", log="riddle_fit.jsonl",
           what="residual MLP predicting the share of a grain charge that passes a riddle in a"
                " minute of shaking (Gaudin's passage probability) (healthy)")


if __name__ == "__main__":
    main()
