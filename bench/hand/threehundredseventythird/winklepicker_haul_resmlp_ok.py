"""Plain torch: a residual MLP forecasts how many kilos of winkles a winkle-picker will fill
into her sacks on one low tide at a given shore, so the buyer knows what to send the van
for. 9 inputs: low-water height (m above chart datum; a low spring tide bares more shore),
minutes the picking ground stays uncovered, sea temperature (°C), month as sin / cos, swell
(m), shore type one-hot (boulder field, bedrock gullies, mussel bed) and days since that
shore was last picked. The haul follows the picker's rule of thumb: bared area grows as the
tide falls below 1.2 m, winkles stand thickest on boulders and in summer, a shore picked in
the last month has not come back (recovery with a 30-day time constant), swell over 1 m cuts
the time she can work, plus day-to-day luck (×, 12 %).
Input: (9,) standardised with the train mean / std; target kg / 40. Model: Linear 9→64, 3
residual blocks (Linear→ReLU→Linear, added back), ReLU, Linear 64→1; MSE, Adam with
OneCycleLR (max 5e-3), batch 128, 30 epochs of 3000 tides, validation on 600.
Healthy; numbers in the README.
Log: TSV per epoch ``haul_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_kg``); checkpoint ``winkle_resmlp.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``epoch`` / ``feature_mean`` / ``feature_std`` / ``kg_scale``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

KG = 40.0


def tides(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    low = -0.2 + 2.2 * r(n)
    bared = 120 + 150 * r(n)
    month = torch.randint(0, 12, (n,), generator=g).float()
    temp = 10 + 5 * torch.sin(2 * math.pi * (month - 4) / 12) + r(n)
    swell = 2.2 * r(n) ** 2
    shore = torch.randint(0, 3, (n,), generator=g)
    days = 120 * r(n) ** 1.5
    area = 1 + 2.5 * (1.2 - low).clamp(min=0)
    dens = torch.tensor([1.0, 0.6, 0.8])[shore] * (1 + 0.3 * torch.sin(2 * math.pi * (month - 3) / 12))
    regrow = 1 - torch.exp(-days / 30)
    work = bared / 180 * torch.where(swell > 1.0, 1.6 - 0.6 * swell, torch.ones(n)).clamp(min=0.2)
    kg = 14 * area * dens * (0.15 + 0.85 * regrow) * work
    kg = kg * torch.exp(0.12 * torch.randn(n, generator=g))
    x = torch.stack([low, bared, temp, torch.sin(2 * math.pi * month / 12),
                     torch.cos(2 * math.pi * month / 12), swell,
                     (shore == 0).float(), (shore == 1).float(), days], 1)
    return x, kg.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class HaulNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return HaulNet()


def main():
    from _threehundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, kgtr = tides(3000, g)
    rva, kgva = tides(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = kgtr / KG, kgva / KG
    print("kg mean", kgtr.mean().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=30 * len(dl))
    with open(out / "haul_fit.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_kg\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            vm = nn.functional.mse_loss(pred, yva).item()
            mae = ((pred - yva).abs().mean() * KG).item()
            f.write(f"{epoch}\t{sched.get_last_lr()[0]:.6g}\t{tot / len(xtr):.6g}\t{vm:.6g}\t{mae:.6g}\n")
            print(epoch, tot / len(xtr), vm, mae)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 30, "feature_mean": mu,
                "feature_std": sd, "kg_scale": KG}, out / "winkle_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="winkle_resmlp.pth",
           log="haul_fit.tsv",
           what="residual MLP forecasting a winkle-picker's haul in kg for one low tide"
                " (healthy)")


if __name__ == "__main__":
    main()
