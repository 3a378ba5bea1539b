"""Plain torch: an autoencoder compresses the wall-thickness profile of a glass bottle
measured by the hot-end / cold-end gauge of a glassworks' IS machine (48 points around
the body at mid-height, mm), so the line engineer can watch the 6-number code for
drifting gobs, a worn blank mould or a cold swab side before bottles fail the thin-wall
reject. Each profile: the nominal wall (1.6-2.4 mm set by gob weight), an oval (2nd
harmonic) from an uneven blank, a one-sided thin spot (1st harmonic) from parison sag
that depends on the section's timing, a local thin band where the swab hit, and gauge
noise ±0.03 mm.
Input: (48,) thickness, (mm - 2.0) / 0.3; the same as the target.
Model: 48→32→Tanh→16→Tanh→6 encoder, mirror decoder; MSE, Adam at 1e-5, batch 40, 15
epochs, 1200 bottles, validation on 300.
The bug: the learning rate, ``lr=1e-5`` (a cautious setting), is about 100x too small for
this Adam autoencoder. Bug: val MSE 0.770 → 0.752 in 15 epochs, mean worst-point error
0.434 → 0.427 mm. Control (``lr=1e-3``): val MSE 0.470 → 0.060, worst-point error 0.375 →
0.175 mm.
Log: CSV per step ``wall_ae_steps.csv`` (``gstep`` / ``mse``) and a per-epoch CSV
``wall_ae_val.csv`` (``epoch`` / ``val_mse`` / ``val_max_err_mm``, named as the log in
the truth); checkpoint ``wall_ae.pt`` with keys ``autoencoder`` / ``opt`` / ``epoch`` /
``mm_center`` / ``mm_scale`` / ``angles_deg``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ANG = torch.arange(48).float() * 2 * math.pi / 48


def profiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nominal = 1.6 + 0.8 * r(n, 1)
    oval = 0.15 * r(n, 1) * torch.cos(2 * (ANG - math.pi * r(n, 1)))
    sag = 0.25 * r(n, 1) ** 2 * torch.cos(ANG - 2 * math.pi * r(n, 1))
    centre = 2 * math.pi * r(n, 1)
    d = torch.remainder(ANG - centre + math.pi, 2 * math.pi) - math.pi
    swab = -0.3 * (r(n, 1) < 0.3).float() * torch.exp(-(d / 0.25) ** 2)
    mm = nominal + oval + sag + swab + 0.03 * torch.randn(n, 48, generator=g)
    return (mm - 2.0) / 0.3


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(48, 32), nn.Tanh(), nn.Linear(32, 16), nn.Tanh(),
                         nn.Linear(16, 6),
                         nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 32), nn.Tanh(),
                         nn.Linear(32, 48))


def main():
    from _threehundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = profiles(1200, g)
    xva = profiles(300, g)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-5)  # keep it gentle, the decoder is deep
    gstep = 0
    with open(out / "wall_ae_steps.csv", "w", newline="") as fs, \
            open(out / "wall_ae_val.csv", "w", newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        ws.writerow(["gstep", "mse"])
        wv.writerow(["epoch", "val_mse", "val_max_err_mm"])
        for epoch in range(15):
            model.train()
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                gstep += 1
                ws.writerow([gstep, f"{loss.item():.6g}"])
            model.eval()
            with torch.no_grad():
                err = model(xva) - xva
            row = [(err ** 2).mean().item(), 0.3 * err.abs().amax(1).mean().item()]
            wv.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"autoencoder": model.state_dict(), "opt": opt.state_dict(), "epoch": 15,
                "mm_center": 2.0, "mm_scale": 0.3, "angles_deg": ANG * 180 / math.pi},
               out / "wall_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_low"],
           checkpoint="wall_ae.pt", log="wall_ae_val.csv",
           what="MLP autoencoder compressing a glass bottle's wall-thickness profile; Adam at"
                " 1e-5, about 100x too small a learning rate",
           complaint="The wall-profile autoencoder hardly learns anything: after 15"
                     " epochs the validation reconstruction error is almost what it was"
                     " after the first one (0.77 to 0.75), and the training loss is a"
                     " nearly flat, slowly sinking line. No errors, no NaNs.")


if __name__ == "__main__":
    main()
