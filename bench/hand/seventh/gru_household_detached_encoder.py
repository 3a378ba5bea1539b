"""Household electricity: forecast the next hour's load from the last 48 hourly readings
(daily cycle, a per-home level, evening peaks on weekdays, noise; standardised), a 2-layer GRU
encoder + MLP head, Adam 3e-3, batch 32, 10 epochs. Bug: ``.detach()`` on the GRU's output --
added to get rid of "Trying to backward through the graph a second time" from an earlier
version that kept the hidden state between batches -- stays in ``forward`` after that version
was gone: the GRU never gets a gradient and keeps its random weights, only the head learns;
val MSE 0.35, still creeping down (without the detach: 0.08)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 48


def homes(n, g):
    t = torch.arange(T + 1, dtype=torch.float32)[None] + torch.randint(0, 24, (n, 1),
                                                                       generator=g)
    level = 0.5 + torch.rand(n, 1, generator=g)
    weekday = (torch.rand(n, 1, generator=g) < 0.7).float()
    hour = t % 24
    evening = torch.exp(-(hour - 19) ** 2 / 4) * (0.6 + 0.8 * weekday)
    morning = torch.exp(-(hour - 7) ** 2 / 2) * 0.5 * weekday
    load = level * (0.4 + 0.3 * torch.sin(2 * math.pi * hour / 24) + evening + morning)
    load = load + 0.08 * torch.randn(n, T + 1, generator=g)
    return load[:, :T, None], load[:, T:]


class LoadGRU(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRU(1, hidden, num_layers=2, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1].detach())  # BUG: leftover detach cuts the GRU off


def build():
    torch.manual_seed(0)
    return LoadGRU()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = homes(1500, g), homes(300, g)
    mu, sd = x.mean(), x.std()
    x, y, vx, vy = (x - mu) / sd, (y - mu) / sd, (vx - mu) / sd, (vy - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "load_history.jsonl", "w") as f:
        for epoch in range(10):
            model.train()
            perm, tot = torch.randperm(len(x), generator=g), 0.0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                loss = F.mse_loss(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vloss = F.mse_loss(model(vx), vy).item()
            f.write(json.dumps({"epoch": epoch, "loss": tot / len(x), "val_loss": vloss}) + "\n")
            print(epoch, round(tot / len(x), 4), round(vloss, 4))
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()},
               out / "load_gru.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["gradient_not_flowing"],
           checkpoint="load_gru.pt", log="load_history.jsonl",
           what="GRU forecaster whose output is detached before the head",
           complaint="the GRU forecast is barely better than predicting the average, val "
                     "loss stuck around 0.35")


if __name__ == "__main__":
    main()
