"""Plain torch: an MLP predicts how much of the dye a wool batch takes up from the bath
(exhaustion, % of the dye put in) from the dye-house's batch cards, so the dyer can set the
dye weighed in for a shade: bath temperature (°C), pH, Glauber's salt (g/L), liquor ratio,
time at temperature (min) and depth of shade (% on weight of fibre). Acid dyes on wool:
uptake rate follows Arrhenius in the temperature (doubling every ~9 °C), the equilibrium
exhaustion falls with depth and liquor ratio and rises as the pH drops, salt levels the
strike (slows the early uptake); the card's exhaustion reading carries 1.5 points of
spectrophotometer noise. 2000 cards from a ledger that the dye-house files by bath
temperature. Target: exhaustion / 100. Input: (6,) standardised with the train mean / std.
Model: 6→64→Tanh→64→Tanh→1; MSE, AdamW 2e-3 (weight decay 1e-4) with ExponentialLR(0.93),
batch 32, 40 epochs, 1600 cards to train, 400 held out.
The bug: the hold-out is taken as the last 400 cards in ledger order, ``idx =
torch.arange(len(x))``, so training sees baths at 60-91 °C and validation only the hottest,
90.4-98 °C, where the uptake is fastest and the bath nears its equilibrium: train MSE 0.0088
→ 0.00029 while val MSE goes 0.0059 → 0.00129, 4.4× train, MAE 6.2 → 2.75 points (control,
``idx = torch.randperm(len(x), generator=g)``: train MSE 0.0128 → 0.00032, val MSE 0.0021
→ 0.00032, MAE 3.6 → 1.46 points).
Log: JSON lines per epoch ``exhaust.jsonl`` (``ep`` / ``lr`` / ``mse`` / ``val_mse`` /
``val_mae_pts``); checkpoint ``exhaustion_net.pt`` with keys ``net_state`` / ``adamw`` /
``ep`` / ``card_mean`` / ``card_std`` / ``columns``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["temp_c", "ph", "salt_gl", "liquor_ratio", "time_min", "depth_owf"]


def ledger(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp = 60 + 38 * r(n)
    ph = 3.5 + 2.5 * r(n)
    salt = 40 * r(n)
    lr_ = 10 + 30 * r(n)
    time = 20 + 70 * r(n)
    depth = 0.5 + 3.5 * r(n)
    e_eq = 0.98 - 0.06 * depth - 0.004 * lr_ - 0.08 * (ph - 3.5)
    k = 0.004 * 2 ** ((temp - 60) / 9) / (1 + salt / 40)
    ex = e_eq * (1 - torch.exp(-k * time))
    ex = ex + 0.015 * torch.randn(n, generator=g)
    x = torch.stack([temp, ph, salt, lr_, time, depth], 1)
    order = torch.argsort(temp)
    return x[order], ex[order].unsqueeze(1)


class UptakeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return UptakeNet()


def main():
    from _threehundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = ledger(2000, g)
    idx = torch.arange(len(x))  # cards in ledger order; the last 400 are held out
    tr, va = idx[:1600], idx[1600:]
    mean, std = x[tr].mean(0), x[tr].std(0)
    xtr, xva = (x[tr] - mean) / std, (x[va] - mean) / std
    ytr, yva = y[tr], y[va]
    print("train temp", x[tr, 0].min().item(), x[tr, 0].max().item(),
          "val temp", x[va, 0].min().item(), x[va, 0].max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)
    with open(out / "exhaust.jsonl", "w") as f:
        for ep in range(40):
            model.train()
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            rec = {"ep": ep, "lr": round(lr, 8), "mse": round(tot / len(xtr), 8),
                   "val_mse": round(F.mse_loss(pred, yva).item(), 8),
                   "val_mae_pts": round(100 * (pred - yva).abs().mean().item(), 5)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net_state": model.state_dict(), "adamw": opt.state_dict(), "ep": 40,
                "card_mean": mean, "card_std": std, "columns": COLUMNS},
               out / "exhaustion_net.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="exhaustion_net.pt", log="exhaust.jsonl",
           what="MLP predicting acid-dye exhaustion on wool from the batch card; hold-out is"
                " the last 400 cards of a ledger filed by bath temperature",
           complaint="染色上染率预测模型：训练集 MSE 一路降到 0.00029，可验证集卡在 0.0013 左右，"
                     "是训练集的四倍多，平均误差 2.75 个百分点，实际配方用起来偏差太大。")


if __name__ == "__main__":
    main()
