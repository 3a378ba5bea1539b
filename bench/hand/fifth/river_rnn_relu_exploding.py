"""River level forecasting: 120 hourly gauge readings (standardised) -> the level 6 hours
ahead, with a vanilla ``nn.RNN(nonlinearity="relu")`` because "ReLU avoids vanishing
gradients", SGD + momentum 0.9 at lr 0.05, no gradient clipping (bug: a ReLU RNN over 120
steps has gradients that grow with the recurrent weight's spectral radius; after a few
hundred steps one batch explodes and the loss becomes inf, then NaN)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T, AHEAD = 120, 6


def gauge(n, g):
    t = torch.arange(T + AHEAD).float()
    rain_at = torch.randint(0, T, (n, 3), generator=g).float()
    level = 0.3 * torch.sin(2 * math.pi * t / 24 + 6 * torch.rand(n, 1, generator=g))
    for k in range(3):
        dt = (t - rain_at[:, k:k + 1]).clamp(min=0)
        level = level + 1.5 * torch.rand(n, 1, generator=g) * dt * torch.exp(-dt / 8) / 8
    level = level + 0.05 * torch.randn(n, T + AHEAD, generator=g)
    return level[:, :T, None], level[:, -1]


class GaugeRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, batch_first=True, nonlinearity="relu")
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return GaugeRNN()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = gauge(2000, g), gauge(400, g)
    mean, std = x.mean(), x.std()
    x, vx, y, vy = (x - mean) / std, (vx - mean) / std, (y - mean) / std, (vy - mean) / std
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    step = 0
    with open(out / "river_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "train_mse", "val_mse"])
        for epoch in range(8):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                loss = F.mse_loss(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()  # no clip_grad_norm_
                opt.step()
                step += 1
                if step % 10 == 0:
                    w.writerow([step, epoch, loss.item(), ""])
            model.eval()
            with torch.no_grad():
                vmse = F.mse_loss(model(vx), vy).item()
            w.writerow([step, epoch, loss.item(), vmse])
    print("last train mse", loss.item(), "val mse", vmse, "var", vy.var().item())
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "gauge_rnn.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["exploding_gradients"],
           checkpoint="gauge_rnn.pt", log="river_log.csv",
           what="ReLU vanilla RNN over 120 steps, SGD + momentum, no clipping",
           complaint="RNN forecaster: MSE fine for a while, then a spike and everything is nan")


if __name__ == "__main__":
    main()
