"""Plain torch: a residual MLP gives a bargee the hours a loaded narrowboat will take over a
stretch of canal, so the carrying company can promise a wharf a day and a time. 10 inputs:
stretch length (miles, 2-30), locks (0-30), share of them in flights (0-1), cargo (tons,
0-30), laden draught (ft, 2-4), the canal's depth over the cill (ft, 3.5-5.5), crew (1-3),
river current on any river section (mph, -1.5 against to +1.5 with), headwind (mph, 0-25) and
tunnel length (miles, 0-2). The time follows how boats really go: speed through the water
about 4 mph empty, dropping as the draught nears the depth (the boat squats and drags in a
shallow cut) and with load, plus the current, less a headwind share; each lock costs 10-20
minutes, less in a flight with a second hand to set ahead, more single-handed; tunnels are
legged at 1.2 mph; and a day's own delays (a lock against you, a queue, a stoppage) add a
skewed few percent. Target: (hours - 9) / 5.
Model: Linear 10→64, 3 residual blocks (LayerNorm → Linear 64→128 → ReLU → Linear 128→64,
added back), LayerNorm, Linear 64→1; MSE, SGD 0.02 (Nesterov momentum 0.9) with
MultiStepLR(×0.2 at epochs 18 and 25), batch 128, 30 epochs, 6000 trips, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``transit_log.jsonl`` (``ep`` / ``lr`` / ``loss_tr`` / ``loss_va``
/ ``mae_va_hours``); checkpoint ``narrowboat_eta.pth`` with keys ``weights`` /
``sgd_state`` / ``sched`` / ``ep`` / ``feat_mu`` / ``feat_sigma`` / ``hours_center_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def stretches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    miles = 2 + 28 * r(n)
    locks = (r(n) ** 1.5 * 31).floor()
    flight = r(n)
    tons = 30 * r(n)
    draught = 2 + 2 * r(n)
    depth = 3.5 + 2 * r(n)
    crew = 1 + (r(n) * 3).floor()
    river = torch.where(r(n) < 0.3, 3 * r(n) - 1.5, torch.zeros(n))
    wind = 25 * r(n)
    tunnel = torch.where(r(n) < 0.2, 2 * r(n), torch.zeros(n))
    clear = (depth - draught).clamp(min=0.3)
    speed = 4.0 * (1 - 0.012 * tons) * (1 - 0.45 * torch.exp(-1.5 * (clear - 0.3)))
    speed = (speed + river - 0.04 * wind).clamp(min=1.0)
    lock_min = 15 - 4 * flight * (crew > 1) + 5 * (crew == 1) + 3 * (tons > 20)
    hours = (miles - tunnel) / speed + tunnel / 1.2 + locks * lock_min / 60
    hours = hours * (1 + 0.04 * -torch.log(r(n) + 1e-6))  # the day's own delays
    x = torch.stack([miles, locks, flight, tons, draught, depth, crew, river, wind, tunnel], 1)
    return x, hours


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(self.norm(x))))


class EtaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(10, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return EtaNet()


def main():
    from _threehundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, htr = stretches(6000, g)
    rva, hva = stretches(750, g)
    mu, sigma = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    ytr, yva = ((htr - 9) / 5).unsqueeze(1), ((hva - 9) / 5).unsqueeze(1)
    print("hours", htr.min().item(), htr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[18, 25], gamma=0.2)
    with open(out / "transit_log.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"ep": ep, "lr": lr, "loss_tr": round(tot / len(xtr), 6),
                   "loss_va": round(F.mse_loss(p, yva).item(), 6),
                   "mae_va_hours": round(5 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 30, "feat_mu": mu, "feat_sigma": sigma,
                "hours_center_scale": (9.0, 5.0)}, out / "narrowboat_eta.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="narrowboat_eta.pth", log="transit_log.jsonl",
           what="residual MLP giving a loaded narrowboat's hours over a canal stretch from"
                " miles, locks, load, draught, crew, current and wind (healthy)")


if __name__ == "__main__":
    main()
