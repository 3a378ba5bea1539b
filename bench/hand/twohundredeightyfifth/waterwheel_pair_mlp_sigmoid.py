"""Plain torch: a deep MLP screens water wheel proposals for a restoration survey: will an
overshot wheel at this site drive a pair of millstones (≥ 3 kW at the shaft)? Inputs: head
at the wheel (1.5-6 m), flow in the launder (50-400 L/s), wheel diameter (as a share of the
head, 0.75-0.98), width (0.5-2 m), bucket fill (0.3-1.0) and wheel speed (3-12 rpm). Shaft
power = 9.81 · flow · head · efficiency; the efficiency peaks at 0.75 for a rim speed near
1 m/s, falls off both sides, drops when the buckets are filled past 0.7 (spill) and when the
flow is too much for the width (over 150 L/s per metre). Label 1 if ≥ 3 kW; about 40 % of
sites pass. Inputs standardised.
MLP 6→64, five more hidden layers of 64 (``ACT`` after each), Linear 64→1 logit; BCE with
logits, SGD momentum 0.9 lr 0.05, batch 128, 30 epochs of 3000 sites, validation on 600
(val BCE, accuracy).
The bug: ``ACT = nn.Sigmoid  # smooth and bounded, like the probability at the end`` between
all six hidden layers: the sigmoid's slope is at most 0.25, so the gradient shrinks ~4x per
layer on the way down and the lower layers barely move.
Result: val BCE 0.685 → 0.672 (0.673 is the entropy of a 40 % base rate), val accuracy 0.605 in
every one of the 30 epochs (every site called a "no"); the step BCE wanders between 0.35 and
0.73 with no trend.
Control (``ACT = nn.ReLU``): stuck at 0.605 for 3 epochs too, then val BCE 0.340 at epoch 5,
0.096 at 10, 0.099 at the end (0.052 at 25), val accuracy 0.955 at the end (0.977 at 25).
Log: CSV per step ``pair_steps.csv`` (``step`` / ``bce``) and a separate per-epoch validation
file ``pair_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc``); checkpoint ``pair_mlp.pth`` with
keys ``weights`` / ``sgd_state`` / ``epoch`` / ``feat_mean`` / ``feat_std``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ACT = nn.Sigmoid  # smooth and bounded, like the probability at the end


def sites(n, g):
    u = torch.rand(n, 6, generator=g)
    head = 1.5 + 4.5 * u[:, 0]
    flow = 0.05 + 0.35 * u[:, 1]
    diam = head * (0.75 + 0.23 * u[:, 2])
    width = 0.5 + 1.5 * u[:, 3]
    fill = 0.3 + 0.7 * u[:, 4]
    rpm = 3 + 9 * u[:, 5]
    rim = math.pi * diam * rpm / 60
    eff = 0.75 * torch.exp(-((rim - 1.0) / 0.9) ** 2)
    eff = eff * torch.where(fill > 0.7, 1 - 1.2 * (fill - 0.7), torch.ones(n))
    eff = eff * torch.clamp(1 - 2 * (flow / width - 0.15).clamp_min(0), min=0.2)
    kw = 9.81 * flow * head * eff
    x = torch.stack([head, flow * 1000, diam / head, width, fill, rpm], 1)
    return x, (kw >= 3.0).float()


class PairMLP(nn.Module):
    def __init__(self):
        super().__init__()
        layers, d = [], 6
        for _ in range(6):
            layers += [nn.Linear(d, 64), ACT()]
            d = 64
        self.net = nn.Sequential(*layers, nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)


def build():
    torch.manual_seed(0)
    return PairMLP()


def main():
    from _twohundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sites(3000, g)
    xva, yva = sites(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("pass rate", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    sgd = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    step = 0
    with open(out / "pair_steps.csv", "w") as fs, open(out / "pair_val.csv", "w") as fv:
        fs.write("step,bce\n")
        fv.write("epoch,val_bce,val_acc\n")
        for epoch in range(1, 31):
            model.train()
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                sgd.zero_grad()
                loss.backward()
                sgd.step()
                step += 1
                fs.write(f"{step},{loss.item():.5f}\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vb = F.binary_cross_entropy_with_logits(lv, yva).item()
                acc = ((lv > 0).float() == yva).float().mean().item()
            fv.write(f"{epoch},{vb:.5f},{acc:.4f}\n")
            print(epoch, round(loss.item(), 4), round(vb, 4), round(acc, 4))
    torch.save({"weights": model.state_dict(), "sgd_state": sgd.state_dict(), "epoch": 30,
                "feat_mean": mu, "feat_std": sd}, out / "pair_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["saturating_activation"],
           checkpoint="pair_mlp.pth", log="pair_val.csv",
           what="deep sigmoid MLP screening water wheel sites for driving a pair of millstones"
                " (binary)",
           complaint=("我们在做老水车修复的选址调查，用一个小网络判断某个地点的上射式水车能不能"
                      "带动一对磨盘。训练了三十轮，它把每个地点都判成“不行”：验证准确率从第一"
                      "轮到最后一轮一直是60.5%，正好是不合格地点的比例，损失也一直停在起点附近"
                      "不降。数据里的物理关系很简单，输入也都做了标准化。这是为什么？"))


if __name__ == "__main__":
    main()
