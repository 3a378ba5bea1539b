"""Plain torch: a residual MLP with layer norm predicts the groundwater head (metres above
datum) in a confined sandstone aquifer's observation wells for the water company's drought
plan, from 10 numbers per well and month: distance to the two abstraction boreholes and their
pumping rates, the river stage, three months of effective rainfall (recharge), the depth of the
screen and the thickness of the confining clay. The head is a regional level (about 42 m)
minus Theis-like drawdown cones (pumping × log of distance), plus lagged recharge and river
leakage; the wells read to ±0.1 m. The target is the head in metres as the loggers report
it (about 30-55 m); inputs standardised.
Model: linear 10→64, three residual blocks (LayerNorm → linear 64→64 → GELU → linear 64→64,
added back), LayerNorm, linear 64→1; MSE. AdamW 3e-3 with weight decay 0.5 and the usual
two parameter groups (decay / no decay), CosineAnnealingLR over 30 epochs, batch 64, 2048
well-months, validation on 512.
Bug: the no-decay group is built (``no_decay``: every bias and the LayerNorm weights and
biases) but is given ``"weight_decay": WD`` like the other one, so the output bias and the
norms' gains and shifts are pulled towards 0 at 0.5 × lr per step while the head needs an
offset of about 36 m.
Control (``{"params": no_decay, "weight_decay": 0.0}``, one-line sed): train MSE 925 →
1.56 m², val MSE 673 → 1.346 m², val MAE 24.9 → 0.838 m, val bias -24.9 → -0.34 m.
With the bug: train MSE 935 → 4.61 m², val MSE 698 → 4.483 m², val MAE 25.4 → 1.599 m,
val bias -25.4 → -0.84 m (3.3 × the control's val MSE).
Log: CSV per epoch ``head_fit.csv`` (``epoch`` / ``lr`` / ``train_mse_m2`` / ``val_mse_m2`` /
``val_mae_m`` / ``val_bias_m``); checkpoint ``aquifer_head.pt`` with keys ``net`` /
``optimizer`` / ``scheduler`` / ``epoch`` / ``feature_mean`` / ``feature_std`` /
``features``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FEATURES = ("dist_bh1_m", "dist_bh2_m", "q_bh1_mld", "q_bh2_mld", "river_stage_m",
            "recharge_m1_mm", "recharge_m2_mm", "recharge_m3_mm", "screen_depth_m",
            "clay_thickness_m")
WD = 0.5  # strong decay: only 2048 well-months to fit


def wells(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d1, d2 = 50 + 4950 * r(n) ** 2, 50 + 4950 * r(n) ** 2
    q1, q2 = 2 + 10 * r(n), 1 + 6 * r(n)  # Ml/d
    stage = 2 * r(n)
    rech = 80 * r(n, 3)
    screen = 20 + 80 * r(n)
    clay = 2 + 18 * r(n)
    head = (42 - 0.55 * q1 * torch.log(5000 / d1) - 0.55 * q2 * torch.log(5000 / d2)
            + 1.5 * stage + (0.06 * rech[:, 0] + 0.03 * rech[:, 1] + 0.01 * rech[:, 2])
            * (1 - clay / 40) - 0.02 * (screen - 60) + 0.1 * torch.randn(n, generator=g))
    x = torch.stack([d1, d2, q1, q2, stage, rech[:, 0], rech[:, 1], rech[:, 2], screen, clay], 1)
    return x, head.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, h):
        return h + self.fc2(F.gelu(self.fc1(self.norm(h))))


class HeadNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(10, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.norm = nn.LayerNorm(64)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.norm(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return HeadNet()


def main():
    from _threehundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = wells(2048, g)
    xva, yva = wells(512, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("head", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    named = list(model.named_parameters())
    no_decay = [p for n, p in named if n.endswith("bias") or "norm" in n]
    decay = [p for n, p in named if not (n.endswith("bias") or "norm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD},
                             {"params": no_decay, "weight_decay": WD}], lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    with open(out / "head_fit.csv", "w") as log:
        log.write("epoch,lr,train_mse_m2,val_mse_m2,val_mae_m,val_bias_m\n")
        for epoch in range(30):
            lr = opt.param_groups[0]["lr"]
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            model.eval()
            with torch.no_grad():
                err = model(xva) - yva
            row = (f"{epoch},{lr:.5f},{tot / len(xtr):.5f},{err.pow(2).mean().item():.5f},"
                   f"{err.abs().mean().item():.4f},{err.mean().item():.4f}")
            log.write(row + "\n")
            print(row)
    torch.save({"net": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 30, "feature_mean": mu,
                "feature_std": sd, "features": FEATURES}, out / "aquifer_head.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="aquifer_head.pt", log="head_fit.csv",
           what="residual MLP with layer norm predicting groundwater head in an aquifer's"
                " observation wells; the no-decay group (biases, LayerNorm) gets weight decay 0.5",
           complaint="我们用残差MLP预测含水层观测井的地下水位（米，高程基准），训练30个epoch后"
                     "验证集MSE停在4.5左右，平均绝对误差1.6米，而且预测整体偏低约0.8米，"
                     "所有井都一样偏低。训练损失也是4.6，不算过拟合。输入都标准化过了，"
                     "学习率用余弦退火。是网络容量不够，还是特征里少了什么水文地质信息？")


if __name__ == "__main__":
    main()
