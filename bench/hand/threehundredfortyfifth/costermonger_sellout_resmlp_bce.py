"""Plain torch: a residual MLP tells a costermonger which of his 8 lines will sell out
before he packs up the barrow, so he knows what to buy more of at the wholesale market at
dawn (multi-label): strawberries, cherries, tomatoes, bananas, oranges, apples, potatoes,
leeks. 8 inputs about the day: forecast temperature (°C), rain (mm), street market day, payday
(Friday or month end), month as sin / cos, how much he bought against his usual (0.7-1.3) and
the council's footfall count (thousands). His rules of thumb, with the luck of the day on
top: soft fruit goes on hot days (strawberries above 20 °C in June-August, cherries in
June-July), tomatoes on warm market days, bananas on market days and paydays, oranges in the
winter months when the street is busy, potatoes and leeks on cold wet days, apples only when
he bought short; buying short makes every line likelier to go, buying long less.
Input: (8,) standardised with the train mean / std. Model: Linear 8→64, 3 residual blocks
(LayerNorm, Linear 64→64, GELU, Linear 64→64, added back), LayerNorm, Linear 64→8; sigmoid
per line and a binary cross-entropy written out by hand, AdamW 1e-3 (weight decay 1e-2),
batch 64, 15 epochs, 1800 trading days, validation on 450.
The bug: the hand-written loss is
``(yb * torch.log(p + 1e-7) + (1 - yb) * torch.log(1 - p + 1e-7)).mean()``, the mean
log-likelihood without its minus sign, so training maximises the cross-entropy: every line is
pushed to the opposite of what happened and then to every line selling out: logged loss
-1.08 at step 10 → about -13 (down to -15.9), val BCE 2.21 → 13.4, per-line accuracy 0.19 →
0.22 (every line "sells out"), macro F1 0.30 → 0.35 (control, ``loss = -(...)``: val BCE 0.361
→ 0.271, per-line accuracy 0.847 → 0.886, macro F1 0.48 → 0.69).
Logs: CSV every 10 steps ``sellout_steps.csv`` (``step`` / ``loss``) and a per-epoch CSV
``sellout_val.csv`` (``epoch`` / ``val_bce`` / ``val_line_acc`` / ``val_f1_macro``);
checkpoint ``sellout.pt`` with keys ``model_state`` / ``optim_state`` / ``epoch`` /
``feature_mean`` / ``feature_std`` / ``lines``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LINES = ["strawberries", "cherries", "tomatoes", "bananas", "oranges", "apples", "potatoes",
         "leeks"]


def trading_days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    month = torch.randint(1, 13, (n,), generator=g).float()
    season = -torch.cos(2 * math.pi * (month - 1) / 12)  # -1 January, +1 July
    temp = 11 + 9 * season + 4 * torch.randn(n, generator=g)
    rain = torch.where(r(n) < 0.4, 8 * r(n), torch.zeros(n))
    market = (r(n) < 2 / 6).float()
    payday = (r(n) < 0.22).float()
    bought = 0.7 + 0.6 * r(n)
    foot = 4 + 2 * market + payday - 0.15 * rain + torch.randn(n, generator=g)
    summer = ((month >= 6) & (month <= 8)).float()
    early = ((month >= 6) & (month <= 7)).float()
    winter = ((month <= 2) | (month == 12)).float()
    wet_cold = (temp < 8).float() * (rain > 2).float()
    score = torch.stack([
        3.0 * summer * (temp > 20).float() - 1.5,
        3.0 * early * (temp > 17).float() - 1.8,
        2.5 * market * (temp > 16).float() - 1.5,
        1.8 * market + 1.8 * payday - 1.6,
        2.0 * winter * (foot > 5).float() - 1.4,
        2.5 * (bought < 0.85).float() - 2.0,
        3.0 * wet_cold - 1.6,
        3.0 * wet_cold + 1.0 * market * (temp < 10).float() - 1.9], 1)
    score = score - 4.0 * (bought.unsqueeze(1) - 1.0) + 0.3 * (foot.unsqueeze(1) - 4.5)
    y = (torch.rand(n, 8, generator=g) < torch.sigmoid(2.0 * score)).float()
    x = torch.stack([temp, rain, market, payday, torch.sin(2 * math.pi * month / 12),
                     torch.cos(2 * math.pi * month / 12), bought, foot], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, h):
        return h + self.fc2(F.gelu(self.fc1(self.norm(h))))


class SelloutNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 8))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return SelloutNet()


def f1_macro(pred, y):
    tp = (pred * y).sum(0)
    return (2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)).mean().item()


def main():
    from _threehundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = trading_days(1800, g)
    rva, yva = trading_days(450, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("sell-out rates", [round(v, 2) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    step = 0
    with open(out / "sellout_steps.csv", "w", newline="") as fs, \
            open(out / "sellout_val.csv", "w", newline="") as fv:
        steps, val = csv.writer(fs), csv.writer(fv)
        steps.writerow(["step", "loss"])
        val.writerow(["epoch", "val_bce", "val_line_acc", "val_f1_macro"])
        for epoch in range(15):
            model.train()
            for xb, yb in dl:
                p = torch.sigmoid(model(xb))
                loss = (yb * torch.log(p + 1e-7) + (1 - yb) * torch.log(1 - p + 1e-7)).mean()  # binary cross-entropy
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    steps.writerow([step, f"{loss.item():.5f}"])
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = [F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (pred == yva).float().mean().item(), f1_macro(pred, yva)]
            val.writerow([epoch] + [f"{v:.5f}" for v in row])
            print(epoch, step, round(loss.item(), 4), [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 15, "feature_mean": mu, "feature_std": sd, "lines": LINES},
               out / "sellout.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="sellout.pt", log="sellout_val.csv",
           what="residual MLP, multi-label: which of a costermonger's 8 lines sell out before"
                " close; hand-written binary cross-entropy missing its minus sign",
           complaint="用残差 MLP 预测我水果摊 8 种货当天会不会卖光（多标签）。训练 loss 从第一步就是负数，"
                     "一路降到 -13 左右；可验证集上的 BCE 从 2.2 涨到 13.4，每个品种的准确率只有 0.22，"
                     "模型说 8 种货天天都会卖光，连冬天的草莓也是。数据已经标准化过了，这是怎么回事？")


if __name__ == "__main__":
    main()
