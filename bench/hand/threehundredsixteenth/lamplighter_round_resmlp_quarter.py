"""Plain torch: a residual MLP predicts how long a lamplighter's evening round takes
(minutes), so the gas company can stagger the start times and have every lamp on the
district lit by civil dusk. 7 inputs: lamps on the round, street length (km), share of
lamps on brackets that need the ladder, hill climb (m), wind (m/s), rain (mm/h), the
lamplighter's years on the job. Time follows a walk-plus-service rule: walking at 4.5 km/h
slowed by the climb, 0.4 min per post lamp and 1.1 min per ladder lamp, wind and rain
making the mantles slow to catch (more so on ladder lamps), experience cutting the service
time up to 25 %; ± 4 % noise. Input: (7,) standardised with the train mean / std. Target:
minutes / 60 (hours).
Model: 7→64, two residual blocks (64→64→ReLU→64, + skip, LayerNorm) → 1; MSE on the hours,
RMSprop 1e-3, batch 64, 25 epochs, 2000 rounds, validation on 500.
The bug: the forward pass rounds the prediction to the quarter hour (``torch.round(out *
4) / 4  # the rota is written in quarter hours``) during training too, so no gradient ever
reaches the weights (the round has zero derivative): train MSE 3.434 → 3.434, val MSE 3.535
→ 3.535, val MAE 105 min throughout (control, the round removed from ``forward``: train
MSE 0.161 → 0.0068, val MSE 0.043 → 0.0102, val MAE 10.5 → 4.8 min).
Log: CSV per epoch ``round_times.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_min``); checkpoint ``round_resmlp.pt`` with keys ``weights`` / ``rmsprop`` /
``epoch`` / ``x_mean`` / ``x_std`` / ``minutes_per_unit``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def rounds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lamps = 20 + torch.floor(60 * r(n))
    km = 1 + 4 * r(n)
    ladder = 0.6 * r(n)
    climb = 80 * r(n)
    wind = 12 * r(n)
    rain = 6 * r(n) * (r(n) < 0.4).float()
    years = 30 * r(n)
    walk = 60 * km / 4.5 * (1 + climb / 200)
    weather = 1 + 0.02 * wind + 0.05 * rain
    service = lamps * (0.4 * (1 - ladder) + 1.1 * ladder * weather) * weather
    service = service * (1 - 0.25 * (1 - torch.exp(-years / 8)))
    minutes = (walk + service) * (1 + 0.04 * torch.randn(n, generator=g))
    x = torch.stack([lamps, km, ladder, climb, wind, rain, years], 1)
    return x, (minutes / 60).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(w, w), nn.ReLU(), nn.Linear(w, w))
        self.norm = nn.LayerNorm(w)

    def forward(self, h):
        return self.norm(h + self.f(h))


class RoundNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        out = self.out(self.blocks(torch.relu(self.inp(x))))
        return torch.round(out * 4) / 4  # the rota is written in quarter hours


def build():
    torch.manual_seed(0)
    return RoundNet()


def main():
    from _threehundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = rounds(2000, g)
    rva, yva = rounds(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "round_times.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_min"])
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = ((model(xb) - yb) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            row = [epoch, tot / len(xtr), ((pv - yva) ** 2).mean().item(),
                   60 * (pv - yva).abs().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row[1:]])
            print(row)
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 25,
                "x_mean": mean, "x_std": std, "minutes_per_unit": 60}, out / "round_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="round_resmlp.pt", log="round_times.csv",
           what="residual MLP predicting a lamplighter's round time in hours; the forward pass"
                " rounds the output to the quarter hour during training as well",
           complaint="Our round-time model for the lamplighters does not learn at all. The"
                     " training loss is the same number every epoch, to the last digit, and"
                     " the estimates stay almost two hours off whatever we try.")


if __name__ == "__main__":
    main()
