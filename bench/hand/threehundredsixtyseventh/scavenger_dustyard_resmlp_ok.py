"""Plain torch: a residual MLP prices a cartload of house dust brought into a contractor's dust
yard by the parish scavengers, before the sifters start on it, so the contractor knows what
each round is worth. The load is sorted into breeze (fine ash and cinder, sold to the
brickfields for burning and for mixing into the clay), soft-core (vegetable refuse, sold as
manure), bones (to the bone-boilers), rags, old metal and brick-bats; the prices are the
dust-yard rule: breeze fetches most in the brickmaking season (spring to early autumn) and
little in winter, soft-core sells to the market gardens in late winter, wet loads are worth
less (the breeze will not sift and must be dried) and every load pays the sifters'
day-work by the ton. Inputs (9): load in tons, the six shares by weight, wetness, month.
Target: net value in shillings ((s - 20) / 10, about -5 to 60 s). Model: Linear 9→64, three
residual blocks ``x + Linear(ReLU(Linear(x)))`` (64→128→64), LayerNorm, Linear 64→1; MSE, SGD
0.01 Nesterov momentum 0.9 with OneCycleLR (max 0.03, per step), batch 40, 24 epochs, 2400
loads, validation on 600.
Healthy; numbers in the README.
Log: JSON lines per epoch ``dust_epochs.jsonl`` (``ep`` / ``lr`` / ``loss_tr`` / ``loss_va`` /
``mae_shillings``); checkpoint ``dustyard.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``feat_mean`` / ``feat_std`` / ``value_shift_scale`` / ``epochs_done``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def loads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    tons = 1.0 + 1.5 * r(n)
    # Dirichlet draws come from the global generator (seeded in main)
    share = torch.distributions.Dirichlet(torch.tensor([6.0, 3.0, 0.6, 0.5, 0.3, 1.0])).sample((n,))
    wet = r(n)
    month = torch.randint(1, 13, (n,), generator=g).float()
    season = torch.cos(2 * math.pi * (month - 6.5) / 12)  # 1 mid-summer, -1 mid-winter
    breeze_s_ton = 12 + 8 * season - 10 * wet ** 2  # brickfield price, less drying when wet
    core_s_ton = 4 + 3 * torch.cos(2 * math.pi * (month - 2) / 12)
    price = torch.stack([breeze_s_ton, core_s_ton, 60 + 0 * wet, 90 + 0 * wet,
                         70 + 0 * wet, -2 + 0 * wet], 1)  # bones, rags, metal; brick-bats carted off
    value = tons * (share * price).sum(1) - 5 * tons * (1 + 0.5 * wet)
    value = value + 1.0 * torch.randn(n, generator=g)
    x = torch.cat([tons[:, None], share, wet[:, None], month[:, None]], 1)
    return x, ((value - 20) / 10)[:, None]


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(torch.relu(self.fc1(x)))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), Block(64), Block(64), Block(64), nn.LayerNorm(64),
                         nn.Linear(64, 1))


def main():
    from _threehundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = loads(2400, g)
    xva, yva = loads(600, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("value s mean / sd", 20 + 10 * ytr.mean().item(), 10 * ytr.std().item())
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.03, total_steps=24 * len(dl))
    with open(out / "dust_epochs.jsonl", "w") as log:
        for ep in range(24):
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
                p = model(xva)
            row = {"ep": ep, "lr": round(sched.get_last_lr()[0], 6),
                   "loss_tr": round(tot / len(xtr), 6),
                   "loss_va": round(nn.functional.mse_loss(p, yva).item(), 6),
                   "mae_shillings": round(10 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "feat_mean": mean, "feat_std": std,
                "value_shift_scale": (20.0, 10.0), "epochs_done": 24}, out / "dustyard.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="dustyard.pth", log="dust_epochs.jsonl",
           what="residual MLP pricing a scavenger's cartload at the dust yard from its sorted"
                " shares, wetness and month (healthy)")


if __name__ == "__main__":
    main()
