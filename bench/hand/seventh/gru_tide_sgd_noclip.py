"""Tide gauge: predict the water level 6 h ahead from the last 120 hourly readings (two tidal
constituents, a slow surge, sensor noise; standardised), a 2-layer GRU, plain SGD + momentum
0.9 at lr 0.3 -- the settings of the LSTM language-model recipe it was copied from -- batch 32,
the loss logged every 5 steps. Bug: the recipe's ``clip_grad_norm_(model.parameters(), 0.25)``
was left out. Over 120 steps the GRU's gradient spikes: the loss is 0.6 at step 40, 6.6e28 at
step 60 and NaN after (with the clip at the same lr the val MSE is 0.20 after 6 epochs)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T, AHEAD = 120, 6


def gauges(n, g):
    t = torch.arange(T + AHEAD, dtype=torch.float32)[None]
    a1, a2 = 1 + 0.3 * torch.rand(n, 1, generator=g), 0.4 * torch.rand(n, 1, generator=g)
    p1, p2 = 6.3 * torch.rand(n, 1, generator=g), 6.3 * torch.rand(n, 1, generator=g)
    surge = 0.3 * torch.sin(2 * math.pi * t / 90 + 6.3 * torch.rand(n, 1, generator=g))
    level = (a1 * torch.sin(2 * math.pi * t / 12.42 + p1) + a2 * torch.sin(2 * math.pi * t / 24
             + p2) + surge + 0.05 * torch.randn(n, T + AHEAD, generator=g))
    return level[:, :T, None], level[:, T + AHEAD - 1:]


class TideGRU(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.gru = nn.GRU(1, hidden, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])


def build():
    torch.manual_seed(0)
    return TideGRU()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = gauges(640, g), gauges(160, g)
    mu, sd = x.mean(), x.std()
    x, y, vx, vy = (x - mu) / sd, (y - mu) / sd, (vx - mu) / sd, (vy - mu) / sd
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    rows = [["step", "epoch", "loss", "val_loss"]]
    step = 0
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 5 == 0:
                rows.append([step, epoch, loss.item(), ""])
        model.eval()
        with torch.no_grad():
            rows.append([step, epoch, "", F.mse_loss(model(vx), vy).item()])
        print(rows[-2], rows[-1])
    with open(out / "tide_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "step": step}, out / "tide_gru.pt")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["exploding_gradients", "lr_too_high"],
           checkpoint="tide_gru.pt", log="tide_log.csv",
           what="2-layer GRU over 120 steps, SGD lr 0.3 + momentum, clip_grad_norm_ left out",
           complaint="training my GRU the loss suddenly jumps to huge values and then becomes nan")


if __name__ == "__main__":
    main()
