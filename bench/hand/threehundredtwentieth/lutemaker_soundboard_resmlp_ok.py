"""Plain torch: a residual MLP predicts the main tap-tone (first plate mode) of a lute or
guitar soundboard from the luthier's bench measurements, so the plate can be thinned to a
target note before the bars go on: thickness (2.0-3.2 mm), lower-bout width, body length,
density (360-480 kg/m³), the long-grain stiffness from a deflection test, the cross-grain
stiffness, and the rosette diameter. The mode follows thin-plate theory, f ∝ h / a² ·
sqrt(E_eff / ρ) with E_eff a mix of long- and cross-grain stiffness set by the plate's
aspect ratio, lowered a little by the rosette hole, with 2 % tap-to-tap scatter.
Target: log(f / 150 Hz). Input: 7 standardised measurements.
Model: linear 7→48, 3 residual blocks (LayerNorm → linear 48→48 → GELU → linear, added
back), LayerNorm → linear 1; MSE, AdamW 2e-3 weight decay 1e-4 with CosineAnnealingLR over
14 epochs, batch 64, 2400 plates, validation on 600.
Healthy; numbers in the README.
Log: JSON lines per epoch ``tap_log.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_hz_mae``); checkpoint ``tap_resmlp.pt`` with keys ``weights`` /
``optim`` / ``cosine`` / ``epochs`` / ``feat_mean`` / ``feat_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def plates(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = 2.0 + 1.2 * r(n)
    width = 280 + 120 * r(n)
    length = 440 + 120 * r(n)
    rho = 360 + 120 * r(n)
    el = 9 + 6 * r(n)  # GPa, long grain
    ec = 0.5 + 0.6 * r(n)  # GPa, cross grain
    rose = 60 + 40 * r(n)
    a = width / length
    e_eff = el * a ** 2 + ec / a ** 2
    f = 150 * (h / 2.6) * (500 / length) ** 2 * (e_eff / 4.5 * 420 / rho) ** 0.5 * (1 - 0.002 * (rose - 80))
    f = f * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.stack([h, width, length, rho, el, ec, rose], 1)
    return x, torch.log(f / 150).unsqueeze(1), f


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm, self.a, self.b = nn.LayerNorm(w), nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.b(F.gelu(self.a(self.norm(x))))


class TapResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 48)
        self.blocks = nn.Sequential(*[Block(48) for _ in range(3)])
        self.norm, self.out = nn.LayerNorm(48), nn.Linear(48, 1)

    def forward(self, x):
        return self.out(self.norm(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return TapResMLP()


def main():
    from _threehundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = plates(2400, g)
    xva, yva, fva = plates(600, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item(), fva.min().item(), fva.max().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)
    with open(out / "tap_log.jsonl", "w") as f:
        for epoch in range(14):
            model.train()
            perm, tot = torch.randperm(len(xtr)), 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "lr": round(lr, 7), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_hz_mae": round((150 * p.exp() - fva.unsqueeze(1)).abs().mean().item(), 3)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "cosine": sched.state_dict(),
                "epochs": 14, "feat_mean": mean, "feat_std": std}, out / "tap_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tap_resmlp.pt", log="tap_log.jsonl",
           what="residual MLP predicting a lute soundboard's main tap tone from bench"
                " measurements (healthy)")


if __name__ == "__main__":
    main()
