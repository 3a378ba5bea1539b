"""Store sales forecasting: 28 days of a store's daily sales (weekly pattern, trend, promo
spikes, noise) -> the next 7 days, a 1-layer LSTM + linear head. Sales are standardised
with the training mean/std, Adam 3e-3, batch 16 (so the per-epoch curve is a little noisy),
no schedule, JSON-lines log. Healthy: val MSE falls from ~1 (the mean) to 0.145 and flattens
(day noise and unpredictable promo spikes)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

IN, OUT = 28, 7


def stores(n, g):
    t = torch.arange(IN + OUT, dtype=torch.float32)
    level = 200 + 150 * torch.rand(n, 1, generator=g)
    trend = 0.8 * torch.randn(n, 1, generator=g)
    week = 40 * torch.rand(n, 1, generator=g) * torch.sin(2 * math.pi * t / 7
                                                          + 6 * torch.rand(n, 1, generator=g))
    promo = 60 * (torch.rand(n, IN + OUT, generator=g) < 0.04).float()
    s = level + trend * t + week + promo + 12 * torch.randn(n, IN + OUT, generator=g)
    return s[:, :IN, None], s[:, IN:]


class SalesLSTM(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, OUT)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def build():
    torch.manual_seed(0)
    return SalesLSTM()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = stores(1200, g), stores(300, g)
    mu, sd = x.mean(), x.std()
    x, y, vx, vy = (x - mu) / sd, (y - mu) / sd, (vx - mu) / sd, (vy - mu) / sd
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                vloss = F.mse_loss(model(vx), vy).item()
            f.write(json.dumps({"epoch": epoch, "train_loss": tot / len(x),
                                "val_loss": vloss}) + "\n")
            print(epoch, round(tot / len(x), 4), round(vloss, 4))
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()},
               out / "sales_lstm.pth")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="sales_lstm.pth",
           log="history.jsonl", what="LSTM 28 -> 7 day sales forecaster, standardised (healthy)")


if __name__ == "__main__":
    main()
