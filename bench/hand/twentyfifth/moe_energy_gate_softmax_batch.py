"""A mixture-of-experts MLP predicts the hourly energy use of a building from 6 sensor
features (outdoor temperature, humidity, hour sin/cos, occupancy, weekend flag). Four experts
(two-layer MLPs) and a gating network (a linear layer over the same features); the prediction
is the gate-weighted sum of the expert outputs. Synthetic load: heating below 12 degrees,
cooling above 22, a base load scaled by occupancy, a weekend regime; targets standardised on
the training split. Adam lr 2e-3, batches of 64, 25 epochs; the validation set (1500 hours)
is scored in one batch. Bug: the gate's softmax is taken over ``dim=0`` (the batch) instead of
over the experts, so each expert's weight is shared out over the samples of the batch: the
experts learn to scale up by ~64 during training, and on the 1500-sample validation batch
every prediction shrinks ~23x (train MSE 0.97 -> 0.10, val MSE 1.01 -> 0.945 flat from epoch
5; softmax over the experts: train 0.69 -> 0.013, val 0.42 -> 0.014)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def load_data(n, g):
    temp = torch.rand(n, generator=g) * 35 - 5
    hum = torch.rand(n, generator=g)
    hour = torch.randint(0, 24, (n,), generator=g).float()
    weekend = (torch.rand(n, generator=g) < 2 / 7).float()
    occ = torch.rand(n, generator=g) * (1 - 0.7 * weekend)
    heat = F.relu(12 - temp) * 1.5
    cool = F.relu(temp - 22) * (2 + hum)
    base = 20 + 30 * occ * (1 + torch.sin(torch.pi * (hour - 6) / 12).clamp(min=0))
    y = heat + cool + base + torch.randn(n, generator=g) * 1.5
    x = torch.stack([temp / 10, hum, torch.sin(2 * torch.pi * hour / 24),
                     torch.cos(2 * torch.pi * hour / 24), occ, weekend], 1)
    return x, y


class MoE(nn.Module):
    def __init__(self, d_in=6, n_experts=4, hidden=32):
        super().__init__()
        self.experts = nn.ModuleList([
            nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, 1))
            for _ in range(n_experts)])
        self.gate = nn.Linear(d_in, n_experts)

    def forward(self, x):
        w = torch.softmax(self.gate(x), dim=0)                    # (B, E)
        out = torch.cat([e(x) for e in self.experts], dim=1)      # (B, E)
        return (w * out).sum(1)


def build():
    torch.manual_seed(0)
    return MoE()


def main():
    from _twentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = load_data(6000, g)
    xtr, ytr, xva, yva = x[:4500], y[:4500], x[4500:], y[4500:]
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "history.jsonl", "w")
    for epoch in range(25):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(xva)
        rec = {"epoch": epoch, "train_mse": round(tot / len(xtr), 5),
               "val_mse": round(F.mse_loss(pred, yva).item(), 5),
               "val_mae_kwh": round(((pred - yva).abs().mean() * sd).item(), 3)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "moe_energy.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="moe_energy.pt", log="history.jsonl",
           what="mixture-of-experts energy regressor whose gate softmax runs over the batch "
                "dimension instead of the experts",
           complaint="My mixture-of-experts model trains fine (train MSE 0.10) but the "
                     "validation MSE never moves from ~0.95, as if it predicted the mean. "
                     "Same data works with a plain MLP.")


if __name__ == "__main__":
    main()
