"""Plain torch: a residual MLP predicts the weight a cygnet will make at Swan Upping (the
July census on the Thames, where the swan uppers lift each brood into the skiffs to weigh
and ring it), from what the swan marker's diary knows beforehand: hatch date (days before
upping), brood size, the reach of river (3 reaches: tidal, town, upper), whether the pair
nests by a park where people feed bread, the pen's (mother's) own weight the year before,
the June mean water temperature (°C) and the days of flood in May-June. Weight follows a
logistic growth curve in age (mid-point 55 days, about 6 kg at 90 days), scaled down for big
broods and for floods (lost feeding, chilling), up for a heavy pen, warm water and the upper
reach's weed beds; bread feeding adds weight early but not much later. Weighing noise 0.15 kg.
Input: (9,) (reaches one-hot, the rest standardised with the train mean / std). Target:
weight in kg, centred on 4 kg and divided by 2.
Model: Linear 9→64, 3 residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64, added
back), LayerNorm, Linear 64→1; MSE, SGD 0.02 (Nesterov momentum 0.9) with MultiStepLR (×0.2
at epochs 25 and 35), batch 256, 40 epochs, 4096 cygnets, validation on 1024.
Healthy; numbers in the README.
Log: JSON lines per epoch ``cygnet_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_kg``); checkpoint ``cygnet_resmlp.pt`` with keys ``model`` / ``opt``
/ ``sched`` / ``epoch`` / ``stats`` (mean, std, target centre and scale)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def cygnets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda: torch.randn(n, generator=g)  # noqa: E731
    age = 45 + 60 * r(n)
    brood = torch.randint(1, 9, (n,), generator=g).float()
    reach = torch.randint(0, 3, (n,), generator=g)
    park = (r(n) < 0.3).float()
    pen = 9.0 + 0.8 * nz()
    water = 15 + 4 * r(n)
    flood = (torch.poisson(torch.full((n,), 2.0), generator=g) * (r(n) < 0.5).float()).clamp(max=12)
    adult_share = 1 / (1 + torch.exp(-(age - 55) / 14))
    scale = (6.6 * (1 - 0.035 * (brood - 4)) * (1 - 0.015 * flood) * (1 + 0.04 * (pen - 9))
             * (1 + 0.012 * (water - 17)) * torch.tensor([0.97, 1.0, 1.05])[reach])
    w = scale * adult_share + 0.5 * park * torch.exp(-(age - 45) / 25) + 0.15 * nz()
    feats = torch.stack([age, brood, park, pen, water, flood], 1)
    return feats, F.one_hot(reach, 3).float(), w


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class CygnetResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return CygnetResMLP()


def main():
    from _threehundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, rtr, wtr = cygnets(4096, g)
    fva, rva, wva = cygnets(1024, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr = torch.cat([(ftr - mean) / std, rtr], 1)
    xva = torch.cat([(fva - mean) / std, rva], 1)
    ytr, yva = ((wtr - 4) / 2).unsqueeze(1), ((wva - 4) / 2).unsqueeze(1)
    print("weight kg", wtr.min().item(), wtr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[25, 35], gamma=0.2)
    with open(out / "cygnet_fit.jsonl", "w") as log:
        for epoch in range(40):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "lr": lr, "train_mse": round(tot / n, 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_kg": round(2 * (p - yva).abs().mean().item(), 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 40, "stats": {"mean": mean, "std": std, "centre_kg": 4.0, "scale_kg": 2.0}},
               out / "cygnet_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cygnet_resmlp.pt", log="cygnet_fit.jsonl",
           what="residual MLP predicting a cygnet's weight at Swan Upping from hatch date,"
                " brood, reach and season (healthy)")


if __name__ == "__main__":
    main()
