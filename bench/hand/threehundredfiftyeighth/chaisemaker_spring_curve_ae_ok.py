"""Plain torch: an autoencoder learns the load-deflection loops a chaisemaker's spring rig
records for the elliptic leaf springs that carry a chaise body, so a loop it cannot
reconstruct (a cracked leaf, a dry pack) can be set aside before fitting. The rig presses
each spring from 0 to 60 mm and back, 16 readings each way (32 forces, kN). Physics behind
the loops: leaf-spring rate k = n E b t³ / (6 L³) (2-7 leaves, 5-9 mm thick, 450-650 mm half
span, 45-60 mm wide, steel E = 206 GPa); interleaf friction opens a hysteresis band (loading
above, unloading below) that grows with the leaf count and how dry the pack is; the first
few millimetres are softer while the leaves seat; load-cell noise.
Input: (32,) forces / 4 kN. Model: Linear 32→48, GELU, Linear 48→6 (the code), GELU,
Linear 6→48, GELU, Linear 48→32; MSE, Adam 1e-3 with ReduceLROnPlateau (×0.5 after 3
epochs without a better val MSE), batch 32, 30 epochs, 1200 springs, validation on 300.
Healthy; numbers in the README.
Log: JSON lines ``spring_ae.jsonl`` per epoch (``ep`` / ``lr`` / ``recon_mse`` /
``val_recon_mse`` / ``val_max_err_kN``); checkpoint ``spring_ae.pth`` with keys ``ae_state``
/ ``adam_state`` / ``plateau_state`` / ``ep`` / ``force_scale_kN`` / ``deflection_mm``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

P = 16
SCALE = 4.0


def springs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    leaves = torch.randint(2, 8, (n, 1), generator=g).float()
    t = (5 + 4 * r(n, 1)) * 1e-3
    half = (450 + 200 * r(n, 1)) * 1e-3
    b = (45 + 15 * r(n, 1)) * 1e-3
    k = leaves * 206e9 * b * t ** 3 / (6 * half ** 3)  # N/m
    d = torch.linspace(0, 0.06, P)
    seat = 1 - 0.4 * torch.exp(-d / 0.006)  # leaves seating in the first millimetres
    load = k * d * seat / 1000  # kN
    dry = 0.02 + 0.08 * r(n, 1)
    band = dry * leaves / 7 * load.amax(1, keepdim=True) * (d > 0)
    up, down = load + band, (load - band).clamp(min=0)
    loop = torch.cat([up, down.flip(1)], 1)
    return (loop + 0.02 * torch.randn(n, 2 * P, generator=g)) / SCALE


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2 * P, 48), nn.GELU(), nn.Linear(48, 6), nn.GELU(),
                         nn.Linear(6, 48), nn.GELU(), nn.Linear(48, 2 * P))


def main():
    from _threehundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = springs(1200, g), springs(300, g)
    print("force range kN", (xtr.amax() * SCALE).item(), "var", xtr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "spring_ae.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 32):
                xb = xtr[perm[i:i + 32]]
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rec = model(xva)
                val = F.mse_loss(rec, xva).item()
                worst = ((rec - xva).abs().amax(1) * SCALE).mean().item()
            row = {"ep": ep, "lr": opt.param_groups[0]["lr"], "recon_mse": round(tot / len(xtr), 7),
                   "val_recon_mse": round(val, 7), "val_max_err_kN": round(worst, 4)}
            plateau.step(val)
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"ae_state": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "ep": 30, "force_scale_kN": SCALE,
                "deflection_mm": torch.linspace(0, 60, P).tolist()}, out / "spring_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="spring_ae.pth",
           log="spring_ae.jsonl",
           what="autoencoder of a chaisemaker's leaf-spring load-deflection loops (healthy)")


if __name__ == "__main__":
    main()
