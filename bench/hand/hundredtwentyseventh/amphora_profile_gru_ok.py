"""Archaeology: the typology of a Roman amphora from its drawn profile (the outer wall traced
from the rim down to the toe, as in a finds catalogue). Synthetic: 5 types with their textbook
silhouettes — Dressel 1 (long cylindrical neck, carinated shoulder, long tapering body, solid
toe), Dressel 2–4 (shorter neck, rounded shoulder, slimmer body), Dressel 20 (globular, very
short neck, tiny toe), Africana (cylindrical body, short neck, small spike), Keay (long
narrow cylindrical body, narrow toe); each profile is the radius at 48 heights from rim to toe,
normalised by the vessel height, with per-vessel variation of neck length, shoulder height,
belly width (±15 %), a drawing jitter of 1 % and, for 30 % of the vessels, a broken rim (the top
4–10 points missing, the trace starting lower and resampled). Input: (48, 2) = radius and its
first difference. A GRU (hidden 48) reading the profile, its last state into a linear head;
label smoothing 0.1, Adam with OneCycleLR (max lr 5e-3), batch 32, 10 epochs of 1000 profiles;
JSON lines per epoch (``ep``, ``tr_loss``, ``va_loss``, ``va_top1``, ``lr``).
Healthy, looking a little odd: val loss (without smoothing) 0.39 sits far below the train loss
0.64 (with smoothing 0.1 its floor is ~0.5); the train loss rises at the lr peak (1.03 → 1.10 at
epoch 4) and val top-1 wobbles: 0.32, 0.51, 0.60, 0.83, 0.79, 0.96, 0.91, 0.91, 0.92, 0.91."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

TYPES = ["Dressel1", "Dressel2-4", "Dressel20", "Africana", "Keay"]
NP = 48
# neck length, shoulder height, belly radius, body taper, toe radius, neck radius
PARAMS = torch.tensor([[0.30, 0.38, 0.16, 0.80, 0.03, 0.07],
                       [0.22, 0.30, 0.14, 0.60, 0.02, 0.06],
                       [0.06, 0.15, 0.33, 0.95, 0.02, 0.10],
                       [0.12, 0.20, 0.13, 0.25, 0.02, 0.08],
                       [0.14, 0.22, 0.09, 0.15, 0.03, 0.06]])


def profile(p, z):
    neck, sh, belly, taper, toe, nr = p
    body = (z - sh).clamp(min=0) / (1 - sh)
    r_body = belly * (1 - taper * body ** 1.6) + toe * body
    r_shoulder = nr + (belly - nr) * ((z - neck) / (sh - neck)).clamp(0, 1) ** 0.6
    return torch.where(z < neck, nr * torch.ones_like(z), torch.where(z < sh, r_shoulder, r_body))


def amphorae(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    out = torch.zeros(n, NP, 2)
    for i in range(n):
        p = PARAMS[y[i]] * (1 + 0.15 * (torch.rand(6, generator=g) * 2 - 1))
        top = 0.0
        if float(torch.rand(1, generator=g)) < 0.3:
            top = float(torch.randint(4, 11, (1,), generator=g)) / NP
        z = torch.linspace(top, 1, NP)
        r = profile(p, z) * (1 + 0.01 * torch.randn(NP, generator=g))
        out[i, :, 0] = r * 5
        out[i, 1:, 1] = torch.diff(r) * 50
    return out, y


class ProfileGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Linear(48, 5)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return ProfileGRU()


def main():
    from _hundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = amphorae(1300, g)
    xtr, ytr, xva, yva = x[:1000], y[:1000], x[1000:], y[1000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    steps = 10 * ((1000 + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=steps)
    log = open(out / "typology.jsonl", "w")
    for ep in range(10):
        model.train()
        perm = torch.randperm(1000, generator=g)
        tot = 0.0
        for i in range(0, 1000, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"ep": ep, "tr_loss": round(tot / 1000, 4),
                   "va_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "va_top1": round((lo.argmax(1) == yva).float().mean().item(), 4),
                   "lr": sched.get_last_lr()[0]}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 10, "types": TYPES},
               out / "amphora_gru_ep10.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="amphora_gru_ep10.pt", log="typology.jsonl",
           what="GRU over drawn amphora profiles, 5 Roman types, label smoothing (healthy)")


if __name__ == "__main__":
    main()
