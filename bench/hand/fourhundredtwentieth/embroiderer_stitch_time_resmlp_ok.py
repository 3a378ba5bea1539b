"""Plain torch: a residual MLP predicts how long a design takes to sew out on an
embroiderer's single-head machine (minutes of machine time per piece), which the shop
quotes on. 8 inputs from the design file and the job: stitch count (thousands, 2-60), colour
changes, trims, jump stitches (hundreds), share of satin stitches, top speed set (stitches
per minute, 600-1200), hoop (flat / cap frame) and fabric stretch (0 woven, 1 knit). The
machine runs satin and fill at different real speeds (satin held to 80 % of top speed, fill
up to 95 %, caps to 75 %, knits another 10 % slower), and every colour change costs 0.35 min
(thread-up and tie-in), every trim 0.06 min, every 100 jumps 0.4 min; the operator's stops
add a 4 % ± 3 % tail. Target: log(minutes), centred on the train mean.
Input: (8,) standardised with the train mean / std. Model: Linear 8→64, 3 residual blocks
(LayerNorm, Linear 64→128, GELU, Linear 128→64, added back), LayerNorm, Linear 64→1; MSE,
AdamW 2e-3 (weight decay 1e-4) with OneCycleLR stepped every batch (as OneCycle is meant),
batch 128, 24 epochs, 3072 jobs, validation on 768.
Healthy; numbers in the README.
Log: JSON lines per epoch ``stitchtime.jsonl`` (``ep`` / ``lr`` / ``mse_train`` / ``mse_val``
/ ``mape_val``, per cent of minutes); checkpoint ``stitchtime.pt`` with keys ``model`` /
``optim`` / ``sched`` / ``epoch`` / ``x_stats`` / ``y_center``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def jobs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    stitches = 2 + 58 * r(n) ** 1.4
    colours = torch.floor(1 + 12 * r(n))
    trims = torch.floor(colours * (1 + 4 * r(n)))
    jumps = 0.2 + 3 * r(n) * stitches / 30
    satin = 0.1 + 0.8 * r(n)
    speed = 600 + 600 * r(n)
    cap = (r(n) < 0.3).float()
    knit = (r(n) < 0.4).float()
    derate = (1 - 0.25 * cap) * (1 - 0.1 * knit)
    fill_spm = torch.minimum(speed * 0.95, torch.full_like(speed, 1100.0)) * derate
    satin_spm = speed * 0.8 * derate
    sew = 1000 * stitches * (satin / satin_spm + (1 - satin) / fill_spm)
    minutes = sew + 0.35 * colours + 0.06 * trims + 0.4 * jumps
    minutes = minutes * (1.04 + 0.03 * torch.randn(n, generator=g).clamp(-2, 2))
    x = torch.stack([stitches, colours, trims, jumps, satin, speed, cap, knit], 1)
    return x, minutes.log()


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class StitchTimeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return StitchTimeNet()


def main():
    from _fourhundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    jtr, ltr = jobs(3072, g)
    jva, lva = jobs(768, g)
    mu, sd = jtr.mean(0), jtr.std(0)
    center = ltr.mean()
    xtr, xva = (jtr - mu) / sd, (jva - mu) / sd
    ytr, yva = (ltr - center).unsqueeze(1), (lva - center).unsqueeze(1)
    print("minutes", ltr.exp().mean().item(), "log var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=24 * len(dl))
    with open(out / "stitchtime.jsonl", "w") as f:
        for epoch in range(24):
            model.train()
            lr = opt.param_groups[0]["lr"]
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
                pred = model(xva)
            mape = ((pred - yva).exp() - 1).abs().mean().item() * 100
            row = {"ep": epoch, "lr": round(lr, 8), "mse_train": round(tot / len(xtr), 6),
                   "mse_val": round(F.mse_loss(pred, yva).item(), 6), "mape_val": round(mape, 4)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 24,
                "x_stats": {"mean": mu, "std": sd}, "y_center": center}, out / "stitchtime.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="stitchtime.pt", log="stitchtime.jsonl",
           what="residual MLP predicting an embroidery design's sew-out time from the design file"
                " and job settings (healthy)")


if __name__ == "__main__":
    main()
