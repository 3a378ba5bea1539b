"""N-BEATS (generic blocks) forecasting a chain's daily store sales: from the last 56 days of
one store (scaled by that window's mean) predict the next 14. 300 synthetic stores with a
trend, a weekly pattern, a yearly swell and noise; windows from the first 500 days train,
the last 100 days validate. 3 generic blocks (4 FC layers of 128, ReLU, backcast + forecast
heads, residual stacking), MAE loss, Adam lr 1e-3, batch 128, 12 epochs, a linear warm-up
per batch; the log holds the seasonal-naive MAE (repeat the last week) as a baseline.
Bug: the warm-up length was written as 10 % of the *samples* times the epochs
(``0.1 * len(train) * EPOCHS``, 5760 "steps") while the loop has 456 steps in all, so the
learning rate is still climbing at the end (7.9e-5, under a tenth of 1e-3): val MAE 1.02 ->
0.140, still falling and twice seasonal naive (0.073); with the warm-up in steps (10 % of
the steps): val MAE 0.071 by epoch 3, 0.066 at the end."""
import csv
import math

import torch
import torch.nn as nn

BACK, HORIZON = 56, 14
EPOCHS = 12


def store_sales(n_stores, days, g):
    t = torch.arange(days, dtype=torch.float32)
    level = 50 + 150 * torch.rand(n_stores, 1, generator=g)
    trend = 0.0004 * torch.randn(n_stores, 1, generator=g)
    week = 0.25 * torch.randn(n_stores, 7, generator=g)
    phase = 6.28 * torch.rand(n_stores, 1, generator=g)
    s = (1 + trend * t + week[:, t.long() % 7] + 0.2 * torch.sin(2 * math.pi * t / 365 + phase))
    return level * s * (1 + 0.06 * torch.randn(n_stores, days, generator=g))


def windows(series, start, stop, stride):
    xs, ys = [], []
    for s in range(start, stop - BACK - HORIZON + 1, stride):
        xs.append(series[:, s:s + BACK])
        ys.append(series[:, s + BACK:s + BACK + HORIZON])
    x, y = torch.cat(xs), torch.cat(ys)
    scale = x.mean(1, keepdim=True)
    return x / scale, y / scale


class Block(nn.Module):
    def __init__(self, width=128):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(BACK, width), nn.ReLU(), nn.Linear(width, width),
                                nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                                nn.Linear(width, width), nn.ReLU())
        self.backcast = nn.Linear(width, BACK)
        self.forecast = nn.Linear(width, HORIZON)

    def forward(self, x):
        h = self.fc(x)
        return self.backcast(h), self.forecast(h)


class NBeats(nn.Module):
    def __init__(self, blocks=3):
        super().__init__()
        self.blocks = nn.ModuleList(Block() for _ in range(blocks))

    def forward(self, x):
        forecast = 0
        for block in self.blocks:
            back, fore = block(x)
            x = x - back
            forecast = forecast + fore
        return forecast


def build():
    torch.manual_seed(0)
    return NBeats()


def main():
    from _twentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    series = store_sales(300, 600, g)
    tx, ty = windows(series, 0, 500, 28)
    vx, vy = windows(series, 500 - BACK, 600, 30)
    naive = (vx[:, -7:].repeat(1, 2) - vy).abs().mean().item()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    warmup = int(0.1 * len(tx) * EPOCHS)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup))
    log = open(out / "nbeats_metrics.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "step", "lr", "train_mae", "val_mae", "snaive_mae"])
    step = 0
    for epoch in range(EPOCHS):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(tx), generator=g).split(128):
            loss = (model(tx[idx]) - ty[idx]).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vmae = (model(vx) - vy).abs().mean().item()
        row = [epoch, step, f"{opt.param_groups[0]['lr']:.3g}", round(tot / len(tx), 4),
               round(vmae, 4), round(naive, 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "epoch": epoch, "step": step},
               out / "nbeats_sales.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_low"],
           checkpoint="nbeats_sales.pt", log="nbeats_metrics.csv",
           what="N-BEATS whose linear warm-up is 5760 steps long in a 456-step run (warm-up "
                "counted in samples), so the lr never gets past a tenth of its peak",
           complaint="N-BEATS trains very slowly and after 12 epochs is still worse than just "
                     "repeating last week's sales.")


if __name__ == "__main__":
    main()
