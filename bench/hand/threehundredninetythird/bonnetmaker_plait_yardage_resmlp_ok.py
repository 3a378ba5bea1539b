"""Plain torch: a residual MLP tells a bonnet maker how many yards of straw plait to cut for a
sewn straw bonnet before she starts, from the order's measures: head size (20-23 in), crown
height (3-6 in), crown tip width (5-7.5 in), brim (poke) width at the front (2-6 in) and at the
ear (0.5-3 in), the share of the head the brim goes round (0.5-0.8: a poke bonnet is open at
the nape), the plait width (3/8-1 in) and how much each row laps over the last (20-40 % of the
width). The rule behind the numbers is the surface to cover (tip disc, crown side, a brim
that tapers from front to ear) over the plait's visible width per row, plus 6 % for the
start, the finish and joins, with a 2 % spread from the plait's stiffness and the worker's
hand. Input: (8,) standardised with the train mean / std; target yards / 10 - 3.
Model: Linear 8→64, 3 pre-LayerNorm residual blocks (LN, Linear 64→128, GELU, Linear
128→64), LN, Linear 64→1; MSE, AdamW 2e-3 (weight decay 1e-4) with CosineAnnealingLR over 40
epochs, batch 64, 1600 orders, validation on 400.
Healthy; numbers in the README.
Log: JSON lines per epoch ``yardage_fit.jsonl`` (``ep`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_yd`` / ``val_mape``); checkpoint ``bonnet_yardage.pth`` with keys
``weights`` / ``opt_state`` / ``sched_state`` / ``ep`` / ``feat_mean`` / ``feat_std`` /
``target_scale``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def orders(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    head = 20 + 3 * r(n)
    crown_h = 3 + 3 * r(n)
    tip = 5 + 2.5 * r(n)
    front = 2 + 4 * r(n)
    ear = 0.5 + 2.5 * r(n)
    share = 0.5 + 0.3 * r(n)
    width = 0.375 + 0.625 * r(n)
    lap = 0.2 + 0.2 * r(n)
    tip_area = math.pi * (tip / 2) ** 2
    side = (head + math.pi * tip) / 2 * crown_h
    brim = share * head * (front + ear) / 2 * 1.15
    area = tip_area + side + brim
    yards = area / (width * (1 - lap)) / 36 * 1.06 * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.stack([head, crown_h, tip, front, ear, share, width, lap], 1)
    return x, yards


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class YardageNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return YardageNet()


def main():
    from _threehundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr_yd = orders(1600, g)
    fva, yva_yd = orders(400, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    ytr, yva = (ytr_yd / 10 - 3).unsqueeze(1), (yva_yd / 10 - 3).unsqueeze(1)
    print("yards", ytr_yd.min().item(), ytr_yd.mean().item(), ytr_yd.max().item(), "var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    mse = nn.MSELoss()
    with open(out / "yardage_fit.jsonl", "w") as f:
        for ep in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = mse(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            p_yd = (p.squeeze(1) + 3) * 10
            rec = {"ep": ep, "lr": lr, "train_mse": tot / len(xtr), "val_mse": mse(p, yva).item(),
                   "val_mae_yd": (p_yd - yva_yd).abs().mean().item(),
                   "val_mape": ((p_yd - yva_yd).abs() / yva_yd).mean().item()}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 40, "feat_mean": mean, "feat_std": std,
                "target_scale": (10.0, 3.0)}, out / "bonnet_yardage.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bonnet_yardage.pth", log="yardage_fit.jsonl",
           what="residual MLP giving the yards of straw plait a sewn bonnet takes from the"
                " order's measures (healthy)")


if __name__ == "__main__":
    main()
