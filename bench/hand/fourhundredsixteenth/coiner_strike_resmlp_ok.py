"""Plain torch: a residual MLP flags a struck coin on a mint's inspection line with any of
four faults at once (multi-label): underweight blank, off-alloy (a coiner's debased
planchet slipped into the hopper), weak strike, off-centre strike. 7 measurements: weight
(g), diameter (mm), thickness (mm), eddy-current conductivity (% IACS), press tonnage, rim
height (mm) and the centre offset seen by the camera (mm). The rules behind the flags:
underweight when weight < 7.85 g (nominal 8.0, from thin blanks: thickness falls with it);
off-alloy when the conductivity is off the alloy's 18.5 ±0.8 % IACS band (debased pieces
read 14-17 or 21-24) and the weight per volume (density) is off; weak strike when rim height
< 0.9 × its tonnage-expected value; off-centre when the offset > 0.35 mm. Measurement noise on
every gauge.
Input: (7,) standardised with the train mean / std. Target: (4,) 0/1 flags. Model: Linear
7→64, 3 residual blocks (LayerNorm → Linear 64→64 → ReLU → Linear 64→64, added), Linear
64→4; BCE with logits, SGD 0.1 Nesterov momentum 0.9 with MultiStepLR (×0.2 at epochs 12 and
18), batch 100, 22 epochs, 3000 coins, validation on 1000.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``strike_fit.jsonl`` (``epoch`` / ``lr`` / ``bce`` /
``val_bce`` / ``val_exact`` / per-fault ``val_f1_*``); checkpoint ``strike_resmlp.tar`` with
keys ``net_weights`` / ``sgd`` / ``sched`` / ``epoch`` / ``gauge_mean`` / ``gauge_std`` /
``faults``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["underweight", "off_alloy", "weak_strike", "off_centre"]


def coins(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    thick = 1.9 + 0.12 * torch.randn(n, generator=g)
    debased = r(n) < 0.12
    dens = torch.where(debased, 9.6 + 0.8 * (r(n) > 0.5).float() * 1.2 - 0.4, torch.full((n,), 10.3))
    cond = torch.where(debased, torch.where(r(n) > 0.5, 14 + 3 * r(n), 21 + 3 * r(n)),
                       18.5 + 0.5 * torch.randn(n, generator=g))
    dia = 22.5 + nz(0.03)
    weight = dens * 3.1416 * (dia / 20) ** 2 * thick / 10 * 0.976 / 1.0
    tons = 80 + 40 * r(n)
    rim = 0.004 * tons * (1 - 0.25 * (r(n) < 0.15).float() * r(n)) + nz(0.01)
    offset = (0.5 * r(n)) ** 1.5 * 1.4
    y = torch.stack([weight < 7.85, debased, rim < 0.9 * 0.004 * tons, offset > 0.35], 1).float()
    x = torch.stack([weight + nz(0.01), dia, thick + nz(0.01), cond + nz(0.2), tons + nz(1.0),
                     rim, offset + nz(0.02)], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), *[Block(64) for _ in range(3)], nn.Linear(64, 4))


def f1(pred, y):
    tp = (pred * y).sum(0)
    return (2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)).tolist()


def main():
    from _fourhundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = coins(3000, g)
    rva, yva = coins(1000, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("fault rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[12, 18], gamma=0.2)
    with open(out / "strike_fit.jsonl", "w") as log:
        for epoch in range(22):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            rec = {"epoch": epoch, "lr": lr, "bce": round(tot / n, 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_exact": round((pred == yva).all(1).float().mean().item(), 6)}
            rec.update({f"val_f1_{k}": round(v, 4) for k, v in zip(FAULTS, f1(pred, yva))})  # noqa: B905
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net_weights": model.state_dict(), "sgd": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 22, "gauge_mean": mean,
                "gauge_std": std, "faults": FAULTS}, out / "strike_resmlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="strike_resmlp.tar", log="strike_fit.jsonl",
           what="residual MLP flagging struck coins as underweight / off-alloy / weak strike /"
                " off-centre on a mint's inspection line (healthy)")


if __name__ == "__main__":
    main()
