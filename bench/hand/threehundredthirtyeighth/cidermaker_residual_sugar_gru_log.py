"""Plain torch: a GRU reads the first 10 days of a cider vat's fermentation log (the daily
hydrometer reading and the cellar thermometer) and tells the cidermaker the residual sugar
the finished cider will have (g/L), so they can decide early whether to rack, back-sweeten
or blend. The juice starts at SG 1.040-1.065; the yeast ferments it down a logistic curve
whose lag and slope are set by the juice's nitrogen (YAN) and the cellar temperature
(8-20 °C, drifting a little day to day). Juice rich in nitrogen ferments dry: final gravity
0.996-0.998, reported by the lab as 0 g/L (below detection; about half the vats); keeved or
nitrogen-poor juice slows and stops sweet, final gravity up to 1.014 (residual sugar
(FG - 0.9985) × 2600 g/L, up to about 45 g/L). Readings carry the hydrometer's half-point noise.
Input: (10, 2) days × (SG - 1) × 1000 / 30, (°C - 14) / 4. Model: GRU(2→32), Linear 32→1,
softplus (residual sugar is positive); NAdam 3e-3, batch 25, 20 epochs, 800 vats,
validation on 200.
The bug: the loss is the squared error of the logarithms, ``torch.log(pred)`` against
``torch.log(yb)``, and the dry vats have 0 g/L, whose log is -inf: the loss is inf on the
first batch, the update is NaN, and from then on every weight and every prediction is NaN
(train loss nan, val MAE nan every epoch) (control, ``torch.log1p(pred), torch.log1p(yb)``:
val log1p-MSE 1.71 → 0.109, MAE 8.2 → 3.1 g/L, dry vats called dry (< 1 g/L) 0.00 → 0.99).
Log: CSV per epoch ``rs_epochs.csv`` (``epoch`` / ``train_loss`` / ``val_log_mse`` /
``val_mae_gl`` / ``val_dry_called``); checkpoint ``sugar_gru.pt`` with keys
``gru_state`` / ``nadam_state`` / ``epoch`` / ``sg_scale`` / ``temp_center`` / ``days``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DAYS = 10


def vats(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    og = 1.040 + 0.025 * r(n, 1)
    yan = r(n, 1)  # 0 nitrogen-poor / keeved ... 1 rich
    temp = 8 + 12 * r(n, 1) + 0.5 * torch.randn(n, DAYS, generator=g).cumsum(1) / 3
    fg = 0.996 + 0.002 * r(n, 1) + 0.018 * (1 - yan) ** 3
    mid = 3 + 7 * (1 - yan) + 0.35 * (16 - temp[:, :1])
    tau = 1.0 + 2.0 * (1 - yan) + 0.1 * (16 - temp[:, :1]).clamp(min=0)
    t = torch.arange(DAYS).float()
    sg = fg + (og - fg) / (1 + torch.exp((t - mid) / tau))
    sg = sg + 0.0005 * torch.randn(n, DAYS, generator=g)
    sugar = ((fg - 0.9985) * 2600).clamp(min=0)
    x = torch.stack([(sg - 1) * 1000 / 30, (temp - 14) / 4], 2)
    return x, sugar


class SugarGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return F.softplus(self.out(h[-1]))


def build():
    torch.manual_seed(0)
    return SugarGRU()


def main():
    from _threehundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = vats(800, g)
    xva, yva = vats(200, g)
    print("dry share", (ytr == 0).float().mean().item(), "max g/L", ytr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=25, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=3e-3)
    with open(out / "rs_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_loss", "val_log_mse", "val_mae_gl", "val_dry_called"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                pred = model(xb)
                loss = F.mse_loss(torch.log(pred), torch.log(yb))  # sweetness is tasted on a log scale
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            dry = yva[:, 0] == 0
            row = [tot / len(xtr), F.mse_loss(torch.log1p(pred), torch.log1p(yva)).item(),
                   (pred - yva).abs().mean().item(), (pred[dry, 0] < 1).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"gru_state": model.state_dict(), "nadam_state": opt.state_dict(), "epoch": 20,
                "sg_scale": 1000 / 30, "temp_center": 14.0, "days": DAYS}, out / "sugar_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="sugar_gru.pt", log="rs_epochs.csv",
           what="GRU giving a cider's residual sugar from its first 10 days of hydrometer"
                " readings; log of predictions and targets where dry vats are 0 g/L",
           complaint="用 GRU 根据前 10 天的比重计读数预测苹果酒的残糖（g/L），第一个 epoch 的"
                     " train loss 就是 nan，验证集的 MSE 和 MAE 也都是 nan，20 个 epoch 一直如此，"
                     "模型对所有酒桶的输出全是 nan。数据里没有 nan，输入也做了缩放。")


if __name__ == "__main__":
    main()
