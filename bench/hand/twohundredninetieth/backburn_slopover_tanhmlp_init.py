"""Plain torch: a deep tanh MLP gives, for a planned backburning ignition along a control line,
the chance of each of four outcomes the burn boss worries about (multi-label, they can occur
together): the burn carries to the main fire, a spot fire across the line, a slop-over at the
line's edge, and the burn stalling (too wet to carry). Rules from the burn-plan tables:
carries when fine-fuel moisture is under 14 % and the flame front has a few hours of daylight;
spots when relative humidity is under 25 % and the wind across the line exceeds 15 km/h;
slops over on slopes above 20 % with the wind pushing toward the line, or on a line under 2 m
wide in dry fuel; stalls when moisture is above 18 % or it is after dark; each rule blurred by
a logistic (0.3-2 of its units wide).
Inputs (9): RH / 100, wind km/h / 40, sin / cos of wind direction to the line, fine-fuel
moisture / 30, slope % / 50, sin / cos of the hour, line width m / 5; 4 targets 0/1.
9→256-tanh-256-tanh-256-tanh-256-tanh-4, BCE with logits, Adam 1e-3, batch 100, 20 epochs,
3000 ignitions, validation on 600 (val BCE, mean per-label accuracy).
The bug: the weights are initialised ``nn.init.normal_(m.weight, mean=0.0, std=1.0)`` under a
comment about unit-variance init, so with 256 inputs per unit every hidden pre-activation has a
standard deviation near 16 and every tanh sits at ±1. Effect vs the control (the line removed,
PyTorch's default init): val BCE 3.22 → 1.85 while train BCE falls 4.22 → 0.086, mean
per-label val accuracy 0.683 → 0.775 (slop-over 0.622), against the control's val BCE
0.292 → 0.187 and accuracy 0.883 → 0.925 (slop-over 0.845).
Log: CSV per epoch ``slopover_metrics.csv`` (``epoch`` / ``bce_train`` / ``bce_val`` /
``acc_val`` / ``acc_spot`` / ``acc_slop``); checkpoint ``slopover_mlp.pth`` with keys
``params`` / ``adam`` / ``epoch`` / ``labels``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["carries", "spot_fire", "slop_over", "stalls"]


def ignitions(n, g):
    rh = 10 + 60 * torch.rand(n, generator=g)
    wind = 40 * torch.rand(n, generator=g)
    wdir = 2 * math.pi * torch.rand(n, generator=g)
    ffm = 4 + 22 * torch.rand(n, generator=g)
    slope = 50 * torch.rand(n, generator=g)
    hour = 24 * torch.rand(n, generator=g)
    width = 0.5 + 4.5 * torch.rand(n, generator=g)
    across = wind * torch.cos(wdir).clamp(min=0)
    day = ((hour > 7) & (hour < 17)).float()
    s = torch.sigmoid
    carries = s((14 - ffm) / 0.8) * (0.2 + 0.8 * day)
    spot = s((25 - rh) / 2) * s((across - 15) / 2)
    slop = torch.maximum(s((slope - 20) / 2) * s(across / 2 - 2),
                         s((2 - width) / 0.3) * s((15 - ffm) / 0.8))
    stall = torch.maximum(s((ffm - 18) / 0.8), 1 - day)
    p = torch.stack([carries, spot, slop, stall], 1)
    y = (torch.rand(n, 4, generator=g) < p).float()
    x = torch.stack([rh / 100, wind / 40, torch.sin(wdir), torch.cos(wdir), ffm / 30,
                     slope / 50, torch.sin(2 * math.pi * hour / 24),
                     torch.cos(2 * math.pi * hour / 24), width / 5], 1)
    return x, y


class SlopoverMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(9, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(),
                                 nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 256),
                                 nn.Tanh(), nn.Linear(256, 4))
        for m in self.net:
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0.0, std=1.0)  # unit-variance init
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return SlopoverMLP()


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ignitions(3000, g)
    xva, yva = ignitions(600, g)
    print("label rates", ytr.mean(0))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "slopover_metrics.csv", "w") as f:
        f.write("epoch,bce_train,bce_val,acc_val,acc_spot,acc_slop\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                z = model(xva)
                vb = F.binary_cross_entropy_with_logits(z, yva).item()
                hit = ((z > 0).float() == yva).float().mean(0)
            f.write(f"{epoch},{tot / len(xtr):.5f},{vb:.5f},{hit.mean().item():.4f},"
                    f"{hit[1].item():.4f},{hit[2].item():.4f}\n")
            print(epoch, round(tot / len(xtr), 4), round(vb, 4), hit.numpy().round(3))
    torch.save({"params": model.state_dict(), "adam": opt.state_dict(), "epoch": 20,
                "labels": LABELS}, out / "slopover_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="slopover_mlp.pth", log="slopover_metrics.csv",
           what="deep tanh MLP giving backburn outcome chances (multi-label); weights"
                " initialised N(0, 1), so every tanh saturates",
           complaint="我们用烧除计划表里的规则生成了点火条件和结果，训练一个多标签网络来估计逆火会不会"
                     "越线、飞火或者烧不起来。训练损失一开始非常大，二十个轮次之后验证集的损失还是"
                     "比训练集高很多，准确率也上不去，比只猜多数类好不了多少。数据我们检查过，"
                     "规则本身很简单，不知道问题出在哪里。")


if __name__ == "__main__":
    main()
