"""Plain torch: a residual MLP predicts the safe working load of a wooden cart wheel from the
wainwright's build sheet, so a wheel can be rated before it goes on a wagon. 8 inputs: wheel
diameter (0.9-1.6 m), spoke count (10-16), spoke section at the hub (35-60 mm square), felloe
depth (55-100 mm), felloe width (50-90 mm), timber density (elm 560, ash 680, oak 720 kg/m³
and anything between), dish (2-8 degrees), iron tyre thickness (8-20 mm). Load rule (an
engineer's sketch of the wheel as a ring on struts): the two or three spokes under the hub
carry the load in compression, each limited by buckling (section⁴ / length², Euler) and by
crushing (section² × density); the felloe spreads it (bending, width × depth²) and the hot-set
tyre pre-stresses the whole; dish adds lateral stiffness up to about 5 degrees and costs
a little above; rating noise 4 %.
Input: (8,) standardised with the train mean / std. Target: log(load / 1000 kg) (0.23-10.8 t, median 1.65 t).
Model: Linear 8→64, 3 residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64),
LayerNorm, Linear 64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR per step, batch
128, 25 epochs, 3000 wheel sheets, validation on 750.
Healthy; numbers in the README.
Log: JSON lines, one per epoch ``wheel_fit.jsonl`` (``ep`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_mape_pct``); checkpoint ``wheel_rater.pth`` with keys ``weights`` /
``adamw`` / ``onecycle`` / ``ep`` / ``feat_mu`` / ``feat_sd``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def build_sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    diam = 0.9 + 0.7 * r(n)
    spokes = torch.randint(10, 17, (n,), generator=g).float()
    sec = 35 + 25 * r(n)
    fdepth, fwidth = 55 + 45 * r(n), 50 + 40 * r(n)
    dens = 560 + 160 * r(n)
    dish = 2 + 6 * r(n)
    tyre = 8 + 12 * r(n)
    length = diam / 2 - 0.12  # spoke length, hub to felloe (m)
    buckle = 2.2e-7 * sec ** 4 * (dens / 650) / length ** 2
    crush = 0.35 * sec ** 2 * (dens / 650)
    spoke = 1 / (1 / buckle + 1 / crush)  # the weaker of the two governs, softly
    share = 2 + (spokes - 10) / 6  # spokes bearing at once
    felloe = 1.4e-4 * fwidth * fdepth ** 2 * (dens / 650) * (12 / spokes) ** -0.5
    prestress = 1 + 0.03 * (tyre - 8)
    dishk = 1 + 0.06 * torch.clamp(dish, max=5) - 0.03 * torch.clamp(dish - 5, min=0)
    load = torch.minimum(share * spoke, felloe) * prestress * dishk * 1000 / 9.81  # kN → kg
    load = load * torch.exp(0.04 * torch.randn(n, generator=g))
    x = torch.stack([diam, spokes, sec, fdepth, fwidth, dens, dish, tyre], 1)
    return x, load


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, h):
        return h + self.fc2(F.gelu(self.fc1(self.norm(h))))


class WheelRater(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return WheelRater()


def main():
    from _threehundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ltr = build_sheets(3000, g)
    rva, lva = build_sheets(750, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = torch.log(ltr / 1000).unsqueeze(1), torch.log(lva / 1000).unsqueeze(1)
    print("load t", (ltr / 1000).min().item(), (ltr / 1000).max().item(), "var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=25 * len(dl))
    with open(out / "wheel_fit.jsonl", "w") as log:
        for ep in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"ep": ep, "lr": sched.get_last_lr()[0], "loss": tot / len(xtr),
                   "val_loss": F.mse_loss(p, yva).item(),
                   "val_mape_pct": 100 * (torch.exp(p - yva) - 1).abs().mean().item()}
            log.write(json.dumps({k: round(v, 6) if isinstance(v, float) else v
                                  for k, v in rec.items()}) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 25, "feat_mu": mu, "feat_sd": sd},
               out / "wheel_rater.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wheel_rater.pth", log="wheel_fit.jsonl",
           what="residual MLP rating the safe load of a wainwright's wooden cart wheel from its"
                " build sheet (healthy)")


if __name__ == "__main__":
    main()
