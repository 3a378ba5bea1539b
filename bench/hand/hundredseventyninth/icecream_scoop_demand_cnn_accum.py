"""Plain torch: a 1-D CNN forecasts the next hour's customers at an ice cream parlour from the
last 24 hours of its till and a rooftop weather box: customers served, air temperature,
sunshine and a weekend/holiday flag (4 channels × 24 hours). Four parlours, 60 days each: a
daily curve that peaks mid-afternoon and is near zero at night, scaled up on warm sunny days
and weekends and down on overcast days, with Poisson-like noise; the first 48 days of each parlour train,
the last 12 validate. Inputs and target are standardised with the training statistics.
Conv1d(4→32, k5)-ReLU-Conv1d(32→32, k5)-ReLU, flatten, Linear(768→64)-ReLU-Linear(64→1);
MSE; SGD lr 0.02, momentum 0.9; micro-batches of 16 windows with gradient accumulation over 8
(one update per 128 windows), 10 epochs of 4512 windows, 1056 validation windows.
The bug: the micro-batch losses are summed by ``loss.backward()`` over the 8 micro-batches
without dividing by the accumulation count, so every update is 8 times the step the learning
rate was chosen for. Logged train loss (mean over 4 updates) 0.88, 0.90, 0.68, 0.42 and
then 0.57–1.86 up and down; val MSE 0.89 after epoch 0 and 1.23 after epoch 1 (MAE 7.1 and 9.1
customers); the loss goes 1.52, 4.37, 61.6 at updates 72–80 and NaN from update 84 (epoch 2)
on, val MSE NaN for epochs 2–9, weights NaN in the checkpoint.
Control (``(loss / ACCUM).backward()``, one-line ``sed``): val MSE 0.154 after epoch
0, 0.10 at 1, 0.084 at 9 (MAE 1.49 customers)."""
import json
import sys

import torch
import torch.nn as nn

ACCUM, MICRO, HIST = 8, 16, 24


def parlours(g, n_shops=4, days=60):
    hour = torch.arange(days * 24) % 24
    curve = torch.exp(-((hour - 15.0) / 3.5) ** 2) + 0.3 * torch.exp(-((hour - 20.0) / 1.5) ** 2)
    series = []
    for _ in range(n_shops):
        size = 20 + 25 * float(torch.rand(1, generator=g))
        daily_temp = 18 + 6 * torch.randn(days, generator=g).cumsum(0) / days ** 0.5
        temp = daily_temp.repeat_interleave(24) + 5 * torch.sin((hour - 9) / 24 * 6.283)
        sun = (torch.rand(days, generator=g) < 0.6).float().repeat_interleave(24)
        weekend = ((torch.arange(days) % 7) >= 5).float().repeat_interleave(24)
        lam = size * curve * torch.sigmoid((temp - 16) / 4) * (0.6 + 0.5 * sun) * (1 + 0.5 * weekend)
        served = lam + lam.sqrt() * torch.randn(days * 24, generator=g)
        series.append(torch.stack([served.clamp(min=0), temp, sun, weekend], 1))
    return torch.stack(series)  # (shops, hours, 4)


def windows(series, lo, hi):
    xs, ys = [], []
    for t in range(lo + HIST, hi):
        xs.append(series[:, t - HIST:t])
        ys.append(series[:, t, 0])
    return torch.cat(xs), torch.cat(ys)


class ScoopDemandCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * HIST, 64), nn.ReLU(),
                                  nn.Linear(64, 1))

    def forward(self, x):  # x: (batch, 24 hours, 4)
        return self.head(self.conv(x.transpose(1, 2))).squeeze(1)


def build():
    torch.manual_seed(0)
    return ScoopDemandCNN()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    s = parlours(g)
    xtr, ytr = windows(s, 0, 48 * 24)
    xva, yva = windows(s, 48 * 24, 60 * 24)
    mu, sd = xtr.reshape(-1, 4).mean(0), xtr.reshape(-1, 4).std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (ytr - mu[0]) / sd[0], (yva - mu[0]) / sd[0]
    print(len(xtr), "train windows", len(xva), "val windows")
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    n, step = len(xtr), 0
    with open(out / "train_log.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(n, generator=g)
            opt.zero_grad()
            running = []
            for k, i in enumerate(range(0, n - MICRO + 1, MICRO)):
                idx = perm[i:i + MICRO]
                loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
                loss.backward()
                running.append(loss.item())
                if (k + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    step += 1
                    if step % 4 == 0:
                        log.write(json.dumps({"step": step, "epoch": epoch,
                                              "loss": round(sum(running) / len(running), 5)})
                                  + "\n")
                        running = []
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                vm = nn.functional.mse_loss(pv, yva).item()
                mae = ((pv - yva).abs().mean() * sd[0]).item()
            log.write(json.dumps({"step": step, "epoch": epoch, "val_mse": round(vm, 5),
                                  "val_mae_customers": round(mae, 3)}) + "\n")
            print(epoch, step, round(vm, 4), round(mae, 3))
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 9, "accum_steps": ACCUM, "norm": (mu, sd)}, out / "scoop_demand_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="scoop_demand_cnn.pt", log="train_log.jsonl",
           what="1-D CNN next-hour ice cream parlour customers, grad accumulation without / ACCUM",
           complaint="我们冰淇淋店的客流预测模型（一维卷积，SGD 学习率 0.02）训练到第 3 个 epoch "
                     "损失就变成 nan 了。前两个 epoch 验证 MSE 是 0.89 和 1.23，反而越来越差，"
                     "之后全是 nan。数据我已经标准化过了，学习率也不算大，为什么会炸？")


if __name__ == "__main__":
    main()
