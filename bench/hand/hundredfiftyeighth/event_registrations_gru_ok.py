"""Event planning agency: how many people will finally register for an event, given the first
28 days of its registration page? Synthetic daily registration counts (Poisson) for 42 days: an
early-bird spike in the first days (until the early-bird price ends on a random day 7–14),
a quiet middle, and a last-minute surge whose start and strength vary by event kind (gala,
conference, workshop, wedding fair); weekends are quieter. Input: 28 days × 3 features
(log1p of the daily count, log1p of the cumulative count / 5, a weekend flag); target: log of
the final registrations on day 42, standardised. A GRU
(3 → 48) and a linear head on its last state. Adam 3e-3, batch 32, 14 epochs of 1600 events,
MSE; a tab-separated log per epoch (``epoch``, ``mse_train``, ``mse_val``, ``mape_val`` — the
MAPE on the final head count) and a checkpoint at the end.
Healthy, but it ends barely better than a rule of thumb, and its val MSE bounces: train MSE
0.44, 0.11, 0.085, ... 0.053 (epoch 14); val MSE 0.128, 0.140, 0.081, 0.070, 0.074, 0.062,
0.055, 0.075, 0.081, 0.054, 0.060, 0.050, 0.050, 0.055 (R² ≈ 0.95 on the standardised log
count); val MAPE on the head count 0.154 → 0.091, against about 0.096 for "registrations by
day 28 × the average growth" — the last-minute surge is mostly noise the first 28 days cannot
show (the surge's size and start vary within a kind, and the counts are Poisson)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

D_IN, D_ALL = 28, 42


def events(n, g):
    days = torch.arange(D_ALL).float()
    base = 3 + 12 * torch.rand(n, 1, generator=g)
    eb_end = torch.randint(7, 15, (n, 1), generator=g).float()
    kind = torch.randint(0, 4, (n,), generator=g)
    surge_start = torch.tensor([30., 24., 33., 27.])[kind][:, None] + torch.randn(n, 1, generator=g) * 2
    surge = torch.tensor([2.5, 1.2, 4.0, 2.0])[kind][:, None] * (0.85 + 0.3 * torch.rand(n, 1, generator=g))
    weekday = (days[None] + torch.randint(0, 7, (n, 1), generator=g)) % 7
    weekend = (weekday >= 5).float()
    rate = base * (1.8 * (days[None] < eb_end) + 0.5
                   + surge * torch.sigmoid((days[None] - surge_start) / 2)
                   + 0.6 * kind[:, None] * (days[None] > 14)) * (1 - 0.4 * weekend)
    counts = torch.poisson(rate, generator=g)
    cum = counts.cumsum(1)
    x = torch.stack([torch.log1p(counts[:, :D_IN]), torch.log1p(cum[:, :D_IN]) / 5,
                     weekend[:, :D_IN]], 2)
    y = torch.log(cum[:, -1])
    return x, y, cum[:, D_IN - 1], cum[:, -1]


class RegistrationGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RegistrationGRU()


def main():
    from _hundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(4)
    x, y, at28, final = events(2000, g)
    mu, sd = y[:1600].mean(), y[:1600].std()
    z = (y - mu) / sd
    xtr, ztr, xva, zva = x[:1600], z[:1600], x[1600:], z[1600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "registrations.tsv", "w") as f:
        f.write("epoch\tmse_train\tmse_val\tmape_val\n")
        for epoch in range(1, 15):
            model.train()
            perm = torch.randperm(1600, generator=g)
            tot = 0.0
            for i in range(0, 1600, 32):
                idx = perm[i:i + 32]
                loss = F.mse_loss(model(xtr[idx]), ztr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                pred_final = torch.exp(p * sd + mu)
                mape = ((pred_final - final[1600:]).abs() / final[1600:]).mean().item()
                row = [epoch, tot / 1600, F.mse_loss(p, zva).item(), mape]
            f.write("\t".join([str(epoch)] + [f"{v:.4f}" for v in row[1:]]) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "epoch": 14,
                "target_mean": float(mu), "target_std": float(sd)}, out / "reg_gru.pth")
    finish(out, __file__, (xva[:64], zva[:64]), causes=[], checkpoint="reg_gru.pth",
           log="registrations.tsv",
           what="GRU forecasting final event registrations from the first 28 days (healthy)")


if __name__ == "__main__":
    main()
