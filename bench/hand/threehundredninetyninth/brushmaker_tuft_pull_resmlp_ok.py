"""Plain torch: a residual MLP predicts the pull-out force of a staple-set tuft in a
brushmaker's brush block, so a new wire / hole / filament recipe can be checked before a
test block is drilled. A tuft is folded over a flat anchor wire and driven into its hole; it
holds by the squeeze of the folded filaments against the hole wall, so the force grows with
hole depth and wire thickness and with the square of the packing ratio (filament count ×
filament diameter² / hole diameter²), and a beech block holds about 30 % harder than a
polypropylene one. Pull tester noise 0.8 N.
Input: (6,) standardised (wire mm, hole diameter mm, hole depth mm, filament count, filament
diameter mm, wood 0/1). Target: (force N - 15) / 6. Model: Linear 6→64, 3 residual blocks
(LayerNorm, Linear 64→64, GELU, Linear 64→64), LayerNorm, Linear 64→1; MSE, AdamW 2e-3
(weight decay 1e-4) with OneCycleLR, batch 128, 30 epochs of 2000 recipes, validation on 500.
Healthy; numbers in the README.
Log: JSON lines per epoch ``pull_fit.jsonl`` (``ep`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_n``); checkpoint ``tuft_pull.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``feature_mean`` / ``feature_std`` / ``force_offset_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def recipes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wire = 0.2 + 0.1 * r(n)
    hole = 1.4 + 0.6 * r(n)
    depth = 3.0 + 2.0 * r(n)
    fd = 0.15 + 0.1 * r(n)
    fill = 0.45 + 0.35 * r(n)
    count = (fill * hole ** 2 / fd ** 2).round()
    wood = (r(n) < 0.4).float()
    pack = count * fd ** 2 / hole ** 2
    force = 12 * (depth / 4) * (wire / 0.25) * (pack / 0.6) ** 2 * (1 + 0.3 * wood)
    force = force + 0.8 * torch.randn(n, generator=g)
    x = torch.stack([wire, hole, depth, count, fd, wood], 1)
    return x, ((force - 15) / 6).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.GELU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


class PullMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return PullMLP()


def main():
    from _threehundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recipes(2000, g)
    xva, yva = recipes(500, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = (2000 + 127) // 128
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=30 * steps)
    with open(out / "pull_fit.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            perm = torch.randperm(2000)
            tot = 0.0
            for b in range(0, 2000, 128):
                idx = perm[b:b + 128]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"ep": ep, "lr": round(sched.get_last_lr()[0], 7), "loss": round(tot / 2000, 6),
                   "val_loss": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_n": round(6 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "feature_mean": mu, "feature_std": sd,
                "force_offset_scale": [15.0, 6.0]}, out / "tuft_pull.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="tuft_pull.pth",
           log="pull_fit.jsonl",
           what="residual MLP predicting a brushmaker's staple-set tuft pull-out force from"
                " the wire / hole / filament recipe (healthy)")


if __name__ == "__main__":
    main()
