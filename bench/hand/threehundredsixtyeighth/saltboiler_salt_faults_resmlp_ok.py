"""Plain torch: a residual MLP tells a salt works' pan-house which faults a boil of brine will
give its salt, from the brine assay and the boiling plan, so the saltboiler can settle, cut or
slow the boil beforehand. Four flags (multi-label): bitter (magnesium chloride and sulphate
carried into the crystals: high Mg and the pan boiled down hard, past the strike), scaling
(calcium sulphate crusting the pan: the Ca × SO4 product over gypsum's solubility, worse
in a hot fast boil), fine grain (a hard rolling boil makes small fishy crystals, a slow
simmer coarse "bay" salt), and dirty / dark salt (coal fire with a short settling time and
turbid brine). Rules are soft (a logistic around each threshold), so every flag has
borderline boils. 8 inputs (standardised): brine strength, Ca, Mg, SO4, turbidity, fire
(boil rate), boil-down (how far past the strike), settling hours, plus the fuel (coal / wood).
Model: Linear 9→64, three residual blocks (LayerNorm, Linear 64→64, ReLU, Linear 64→64, add),
Linear 64→4; BCEWithLogitsLoss, Adam 2e-3 with OneCycleLR, batch 128, 24 epochs, 4000 boils,
validation on 1000.
Healthy; numbers in the README.
Log: JSON lines per epoch ``pan_faults.jsonl`` (``epoch`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_f1_bitter`` / ``val_f1_scaling`` / ``val_f1_fine`` / ``val_f1_dirty``); checkpoint
``faults_resmlp.pth`` with keys ``weights`` / ``opt`` / ``sched`` / ``epoch`` /
``feature_mean`` / ``feature_std`` / ``flags``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FLAGS = ["bitter", "scaling", "fine", "dirty"]


def assays(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    strength = 12 + 12 * r(n)  # % salt
    ca = 0.5 + 2.5 * r(n)  # g/L
    mg = 0.5 + 4.0 * r(n)
    so4 = 1.0 + 5.0 * r(n)
    turb = 60 * r(n) ** 2  # NTU
    fire = r(n)  # 0 simmer .. 1 hard rolling boil
    down = r(n)  # how far past the strike the pan is boiled
    settle = 12 * r(n)  # hours the brine stood in the cistern
    coal = (r(n) < 0.6).float()
    noise = lambda: 0.35 * torch.randn(n, generator=g)  # noqa: E731
    bitter = (mg * (0.4 + 1.6 * down) - 3.2) / 0.5 + noise()
    scaling = (ca * so4 * (0.8 + 0.5 * fire) * strength / 18 - 6.5) / 1.2 + noise()
    fine = (fire - 0.6 + 0.1 * (strength - 18) / 6) / 0.08 + noise()
    dirty = (coal * (1.5 - settle / 6) + turb / 40 - 0.8) / 0.25 + noise()
    logit = torch.stack([bitter, scaling, fine, dirty], 1)
    y = (torch.rand(n, 4, generator=g) < torch.sigmoid(logit)).float()
    x = torch.stack([strength, ca, mg, so4, turb, fire, down, settle, coal], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class FaultNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 4)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return FaultNet()


def f1(pred, y):
    tp = (pred * y).sum(0)
    return (2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)).tolist()


def main():
    from _threehundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = assays(4000, g)
    xva, yva = assays(1000, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("flag rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, epochs=24,
                                                steps_per_epoch=len(dl))
    crit = nn.BCEWithLogitsLoss()
    with open(out / "pan_faults.jsonl", "w") as log:
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 8),
                   "bce": round(tot / len(xtr), 6), "val_bce": round(crit(logit, yva).item(), 6)}
            for k, v in zip(FLAGS, f1((logit > 0).float(), yva)):  # noqa: B905
                rec[f"val_f1_{k}"] = round(v, 4)
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 24, "feature_mean": mean,
                "feature_std": std, "flags": FLAGS}, out / "faults_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="faults_resmlp.pth", log="pan_faults.jsonl",
           what="residual MLP flagging bitter / scaling / fine-grain / dirty salt from a brine"
                " assay and boiling plan, multi-label (healthy)")


if __name__ == "__main__":
    main()
