"""Plain torch: an autoencoder compresses a moose cow's day of GPS-collar activity (48
half-hour accelerometer activity counts) to a 6-number code, so the wildlife biologist can
flag unusual days (calving, a winter tick load, a mortality signal) by reconstruction
error across a few hundred collared cows. A day: a crepuscular rhythm (feeding bouts
around dawn and dusk whose timing moves with day length), bedding bouts in the middle of
the day, a level set by the season's temperature (moose rest more above about 14 °C),
random long feeding bouts, and Poisson-like counting noise; counts log1p-transformed and
standardised per half-hour with the train mean / std.
Model: encoder 48→64→GELU→32→GELU→6, decoder 6→32→GELU→64→GELU→48 (separate
``encoder`` / ``decoder`` submodules); MSE, Adam 2e-3 with ExponentialLR (0.93 per epoch),
batch 32, 20 epochs, 1800 collar-days, validation on 450.
The bug: the optimizer is built from ``model.encoder.parameters()`` only (the code is what
is kept on the base station), so the decoder stays at its random initialisation and the
encoder can only steer the code around a random 6-dimensional surface: train MSE 0.987 →
0.929, val MSE 0.980 → 0.945 (95th percentile 1.53 → 1.49) on standardised counts
(control, ``torch.optim.Adam(model.parameters(), ...)``: train 0.797 → 0.372, val 0.627 →
0.390, 95th percentile 1.06 → 0.65).
Log: CSV per epoch ``collar_ae.csv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse``
/ ``val_mse_p95``); checkpoint ``collar_ae.pth`` with keys ``model`` / ``optimizer`` /
``scheduler`` / ``epoch`` / ``code_dim`` / ``count_mean`` / ``count_std``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SLOTS = 48


def collar_days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = torch.arange(SLOTS).float() / 2 + 0.25
    daylen = 8 + 9 * r(n, 1)
    dawn, dusk = 12 - daylen / 2, 12 + daylen / 2
    temp = -25 + 45 * r(n, 1)
    level = 1.0 - 0.03 * (temp - 14).clamp(min=0)
    bout = lambda c, w: torch.exp(-((h - c) / w) ** 2)  # noqa: E731
    rate = level * (25 * bout(dawn, 1.3) + 22 * bout(dusk, 1.5) + 6
                    + 10 * bout(12 + 2 * torch.randn(n, 1, generator=g), 0.8)
                    - 5 * bout(12, 2.5).clamp(max=1))
    extra = 15 * (r(n, 1) < 0.3).float() * bout(24 * r(n, 1), 1.5 + 2 * r(n, 1))
    rate = (rate + extra).clamp(min=0.5)
    counts = (rate + rate.sqrt() * torch.randn(n, SLOTS, generator=g)).clamp(min=0)
    return torch.log1p(counts)


class CollarAE(nn.Module):
    def __init__(self, code=6):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(SLOTS, 64), nn.GELU(), nn.Linear(64, 32),
                                     nn.GELU(), nn.Linear(32, code))
        self.decoder = nn.Sequential(nn.Linear(code, 32), nn.GELU(), nn.Linear(32, 64),
                                     nn.GELU(), nn.Linear(64, SLOTS))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return CollarAE()


def main():
    from _threehundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ctr, cva = collar_days(1800, g), collar_days(450, g)
    mu, sd = ctr.mean(0), ctr.std(0)
    xtr, xva = (ctr - mu) / sd, (cva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.encoder.parameters(), lr=2e-3)  # the 6-d code is what we keep
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)
    with open(out / "collar_ae.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr", "train_mse", "val_mse", "val_mse_p95"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean(1)
            p95 = err.sort().values[math.ceil(0.95 * len(err)) - 1].item()
            row = [epoch, lr, tot / len(xtr), err.mean().item(), p95]
            log.writerow([epoch] + [f"{v:.6g}" for v in row[1:]])
            print(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 20, "code_dim": 6,
                "count_mean": mu, "count_std": sd}, out / "collar_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="collar_ae.pth", log="collar_ae.csv",
           what="MLP autoencoder over a moose cow's day of collar activity counts; only the"
                " encoder's parameters are given to the optimizer",
           complaint="驼鹿项圈活动数据的自编码器基本没学到东西：重建误差从第一个epoch的0.98"
                     "只降到0.95，验证集也一样，20个epoch下来曲线几乎是平的。")


if __name__ == "__main__":
    main()
