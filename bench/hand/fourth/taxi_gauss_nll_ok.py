"""Taxi trip duration with an uncertainty estimate: the MLP outputs a mean and a log-variance
per trip and is trained with the Gaussian negative log-likelihood, so the loss goes below
zero once the predicted spread is small (negative by design). Rush-hour trips are noisier.
Adam 1e-3, CSV log per epoch (healthy)."""
import csv
import math

import torch
import torch.nn as nn


def trips(n, g):
    dist = 0.5 + 10 * torch.rand(n, generator=g)  # km
    hour = 24 * torch.rand(n, generator=g)
    rush = torch.exp(-((hour - 8) / 1.5) ** 2) + torch.exp(-((hour - 17.5) / 1.5) ** 2)
    minutes = 3 + 2.2 * dist * (1 + 0.6 * rush)
    noise = (0.3 + 2.5 * rush) * torch.randn(n, generator=g)
    x = torch.stack([(dist - 5) / 3, torch.sin(2 * math.pi * hour / 24),
                     torch.cos(2 * math.pi * hour / 24)], 1)
    return x, ((minutes + noise) - 15) / 8  # standardised duration


class MeanVarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.mean = nn.Linear(64, 1)
        self.log_var = nn.Linear(64, 1)

    def forward(self, x):
        h = self.body(x)
        return self.mean(h).squeeze(1), self.log_var(h).squeeze(1)


def gaussian_nll(mu, log_var, y):
    return 0.5 * (log_var + (y - mu) ** 2 / log_var.exp()).mean()


def build():
    torch.manual_seed(0)
    return MeanVarNet()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = trips(6000, g), trips(1500, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "nll_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_nll", "val_nll", "val_mae"])
        for epoch in range(30):
            perm = torch.randperm(len(x), generator=g)
            tot = 0.0
            for i in range(0, len(x), 128):
                idx = perm[i:i + 128]
                loss = gaussian_nll(*model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            with torch.no_grad():
                mu, lv = model(vx)
                w.writerow([epoch, tot / len(x), gaussian_nll(mu, lv, vy).item(),
                            (mu - vy).abs().mean().item()])
            print(epoch, round(tot / len(x), 4), round((mu - vy).abs().mean().item(), 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "taxi_meanvar.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=[], checkpoint="taxi_meanvar.pt",
           log="nll_log.csv", what="Gaussian NLL with a log-variance head (negative loss by "
           "design): healthy")


if __name__ == "__main__":
    main()
