"""Plain torch: a residual MLP predicts how many minutes a mail coach needs for one stage
(inn to inn, where the team is changed), from what the coachman knows before setting out,
so the coaching office can print a timetable the guard can keep. 8 inputs: stage length
(6-14 miles), total climb (0-900 ft), share of the stage on turnpike macadam (the rest clay
and gravel lanes), rain in the last day (0-25 mm), passengers (2-14, inside and out),
luggage (0-12 cwt), team (4 or 6 horses), and night (0/1). Speed on good turnpike is about
10.5 mph with a light load, lanes are slower and turn to mud with rain (the slowdown grows
with rain × lane share), the load slows a team of four more than a team of six, night costs
about 12 %, and every 100 ft of climb adds about 1.4 min; plus ± 3 % for the horses' day.
Input: (8,) standardised with the train mean / std. Target: (minutes - 75) / 25 (about 45-280
min). Model: Linear 8→64, 3 residual blocks (x + Linear(ReLU(Linear(LayerNorm(x))))), ReLU,
Linear 64→1; MSE, SGD 0.02 (Nesterov momentum 0.9) with MultiStepLR (×0.2 at epochs 16 and
22), batch 32, 26 epochs, 2000 stages, validation on 500.
Healthy; numbers in the README.
Log: one JSON lines record per epoch ``stage_fit.jsonl`` (``ep`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_mae_min``); checkpoint ``stage_resmlp.pth`` with keys ``weights`` /
``sgd_state`` / ``sched_state`` / ``ep`` / ``feat_mu`` / ``feat_sigma`` /
``minutes_center_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def stages(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    miles, climb = 6 + 8 * r(n), 900 * r(n) ** 1.5
    pike = r(n)
    rain = 25 * r(n) ** 2
    pax = torch.randint(2, 15, (n,), generator=g).float()
    luggage = 12 * r(n)
    six = (r(n) < 0.35).float()
    night = (r(n) < 0.3).float()
    load = (pax * 1.4 + luggage) / 30  # tons behind the team, roughly
    team = 4 + 2 * six
    mud = 1 + 0.035 * rain
    speed = 10.5 * (pike + (1 - pike) * 0.78 / mud) / (1 + 0.9 * load * 4 / team)
    speed = speed * (1 - 0.12 * night)
    minutes = 60 * miles / speed + 1.4 * climb / 100
    minutes = minutes * (1 + 0.03 * torch.randn(n, generator=g))
    x = torch.stack([miles, climb, pike, rain, pax, luggage, team, night], 1)
    return x, minutes


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(w), nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(self.norm(x))))


class StageNet(nn.Module):
    def __init__(self, w=64):
        super().__init__()
        self.inp = nn.Linear(8, w)
        self.blocks = nn.Sequential(Block(w), Block(w), Block(w))
        self.out = nn.Linear(w, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return StageNet()


def main():
    from _threehundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, mtr = stages(2000, g)
    rva, mva = stages(500, g)
    mu, sigma = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    ytr, yva = ((mtr - 75) / 25).unsqueeze(1), ((mva - 75) / 25).unsqueeze(1)
    print("minutes", mtr.min().item(), mtr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[16, 22], gamma=0.2)
    with open(out / "stage_fit.jsonl", "w") as log:
        for ep in range(26):
            model.train()
            total = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"ep": ep, "lr": lr, "loss": total / len(xtr),
                   "val_loss": F.mse_loss(p, yva).item(),
                   "val_mae_min": (25 * (p - yva).abs().mean()).item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 26, "feat_mu": mu, "feat_sigma": sigma,
                "minutes_center_scale": (75.0, 25.0)}, out / "stage_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="stage_resmlp.pth", log="stage_fit.jsonl",
           what="residual MLP predicting a mail coach's minutes for one stage from length,"
                " climb, road, rain, load, team and night (healthy)")


if __name__ == "__main__":
    main()
