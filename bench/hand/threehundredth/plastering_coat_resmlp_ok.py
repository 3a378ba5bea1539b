"""Plain torch: a residual MLP tells a plastering crew, before the coat goes on, which of
three faults a lime plaster coat is likely to show a month later (multi-label, any of them
or none): 0 cracking (a thick coat drying fast: wind, sun, low humidity, too little hair or
too much water), 1 dusting (a weak, soft face: too much sand for the lime, the coat
overworked or frozen before it carbonated), 2 blowing / delamination (the backing too dry
or too smooth, no scratch key, a thick coat on a hard wall). Nine numbers from the site
sheet: coat thickness, water/binder, sand/lime, hair per bag, wind, humidity, temperature,
the backing's suction and the depth of the scratch key; each fault has its own rule on them
plus a little site-to-site luck.
Input: (9,) standardised; target: (3,) 0/1. Residual MLP: Linear 9→64, 3 blocks
(LayerNorm-Linear 64→64-SiLU-Linear 64→64, added back), LayerNorm, Linear 64→3;
BCEWithLogitsLoss, NAdam 2e-3 with ExponentialLR (×0.92 per epoch), batch 80, 15 epochs, 2000
coats, validation on 500.
Healthy; numbers in the README.
Log: CSV per epoch ``coat_log.csv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_f1_crack``
/ ``val_f1_dust`` / ``val_f1_blow`` / ``val_exact``); checkpoint ``coat_resmlp.pt`` with
keys ``state_dict`` / ``nadam`` / ``sched`` / ``epoch`` / ``faults`` / ``mean`` / ``std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["cracking", "dusting", "blowing"]


def coats(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    thick = 6 + 14 * r(n)          # mm
    wb = 0.4 + 0.5 * r(n)
    sand = 2 + 2 * r(n)
    hair = r(n)
    wind = 8 * r(n)
    hum = 30 + 60 * r(n)
    temp = -2 + 28 * r(n)
    suction = r(n)
    key = 3 * r(n)
    luck = 0.4 * torch.randn(n, 3, generator=g)
    crack = (thick / 10 + wind / 4 - hum / 40 + 2 * wb - 2 * hair + temp / 20 - 1.8 + luck[:, 0]) > 0
    dust = (sand - 3.2 + 1.5 * (temp < 3).float() + (wb - 0.65) * 2 + luck[:, 1]) > 0
    blow = (2 * suction + thick / 12 - key - 0.3 + luck[:, 2]) > 0
    x = torch.stack([thick, wb, sand, hair, wind, hum, temp, suction, key], 1)
    return x, torch.stack([crack, dust, blow], 1).float()


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class CoatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 3))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def f1(p, y):
    tp = (p * y).sum()
    return (2 * tp / (p.sum() + y.sum()).clamp(min=1)).item()


def build():
    torch.manual_seed(0)
    return CoatNet()


def main():
    from _threehundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = coats(2000, g)
    xva, yva = coats(500, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("fault rates", ytr.mean(0).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=80, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.92)
    log = open(out / "coat_log.csv", "w")
    log.write("epoch,bce,val_bce,val_f1_crack,val_f1_dust,val_f1_blow,val_exact\n")
    for epoch in range(15):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.binary_cross_entropy_with_logits(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        sched.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        p = (lv > 0).float()
        row = (f"{epoch},{tot / len(xtr):.5f},"
               f"{F.binary_cross_entropy_with_logits(lv, yva).item():.5f},"
               + ",".join(f"{f1(p[:, k], yva[:, k]):.4f}" for k in range(3))
               + f",{(p == yva).all(1).float().mean().item():.4f}")
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"state_dict": model.state_dict(), "nadam": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 15, "faults": FAULTS, "mean": mu,
                "std": sd}, out / "coat_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="coat_resmlp.pt",
           log="coat_log.csv",
           what="residual MLP predicting cracking / dusting / blowing of a lime plaster coat"
                " from the site sheet, multi-label (healthy)")


if __name__ == "__main__":
    main()
