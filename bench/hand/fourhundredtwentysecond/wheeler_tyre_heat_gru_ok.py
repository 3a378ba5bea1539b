"""Plain torch: a GRU follows, minute by minute, how hot an iron wheel tyre is while the
wheeler heats it in a ring fire of shavings before shrinking it onto the felloes; the tyre
cannot be read through the fire, so the net estimates its temperature at every step from
what can be logged: the fire's flame temperature from an optical pyrometer, the wind speed,
and the tyre's bar section and diameter (fixed per tyre). The rule: a first-order lag,
dT/dt = (T_fire - T) / tau with tau growing with the bar's section (bars 12-25 mm thick,
50-100 mm wide) and shrinking with wind (forced convection, 0-8 m/s); the fire is built
up, fed twice and dies down (a random shape per tyre); pyrometer noise ± 15 °C.
Input: (60, 4) per minute: fire / 1000, wind / 8, thickness / 25, diameter / 1500 (the
statics repeated each step). Target (60, 1): tyre temperature / 1000, one per minute.
Model: GRU 4→48 (1 layer) + Linear 48→1 on every step; MSE, Adam 3e-3 with
ReduceLROnPlateau (factor 0.5, patience 2) on the val MSE, gradient clip 1.0, batch 16
tyres, 18 epochs, 320 tyres, validation on 80.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``ringfire.jsonl`` (``ep`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_mae_c`` / ``val_mae_c_at_shrink``, the last at minute 50, when the
tyre comes off); checkpoint ``tyre_gru.ckpt`` with keys ``gru_state`` / ``adam_state`` /
``plateau_state`` / ``ep`` / ``scales``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = 60


def tyres(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(STEPS).float().unsqueeze(0)
    peak = 700 + 250 * r(n, 1)
    rise = 6 + 8 * r(n, 1)
    feed1, feed2 = 15 + 10 * r(n, 1), 32 + 10 * r(n, 1)
    fire = peak * (1 - torch.exp(-t / rise))
    for f in (feed1, feed2):
        fire = fire + 120 * torch.exp(-((t - f) / 3) ** 2)
    fire = fire * torch.where(t > 45, torch.exp(-(t - 45) / 12), torch.ones_like(t)) + 15
    wind = (8 * r(n, 1) * (0.7 + 0.3 * torch.sin(t / (3 + 4 * r(n, 1))))).clamp(min=0)
    thick, width = 12 + 13 * r(n, 1), 50 + 50 * r(n, 1)
    diam = 900 + 600 * r(n, 1)
    tau = 2.0 + 0.18 * thick * width / 50 / (1 + 0.12 * wind)
    temp = torch.zeros(n, STEPS)
    cur = torch.full((n,), 15.0)
    for k in range(STEPS):
        cur = cur + (fire[:, k] - cur) / tau[:, k]
        temp[:, k] = cur
    seen = fire + 15 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([seen / 1000, wind / 8, (thick / 25).expand(n, STEPS),
                     (diam / 1500).expand(n, STEPS)], 2)
    return x, (temp / 1000).unsqueeze(2)


class TyreGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return TyreGRU()


def main():
    from _fourhundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tyres(320, g)
    xva, yva = tyres(80, g)
    print("tyre temp range", 1000 * ytr.min().item(), 1000 * ytr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "ringfire.jsonl", "w") as log:
        for ep in range(18):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vl = F.mse_loss(p, yva).item()
            err = 1000 * (p - yva).abs()
            rec = {"ep": ep, "lr": opt.param_groups[0]["lr"], "loss": round(tot / nb, 7),
                   "val_loss": round(vl, 7), "val_mae_c": round(err.mean().item(), 3),
                   "val_mae_c_at_shrink": round(err[:, 50].mean().item(), 3)}
            plateau.step(vl)
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru_state": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "ep": 18,
                "scales": {"fire": 1000, "wind": 8, "thick": 25, "diam": 1500, "temp": 1000}},
               out / "tyre_gru.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tyre_gru.ckpt", log="ringfire.jsonl",
           what="GRU estimating an iron wheel tyre's temperature each minute in a wheeler's"
                " ring fire from the pyrometer and wind (healthy)")


if __name__ == "__main__":
    main()
