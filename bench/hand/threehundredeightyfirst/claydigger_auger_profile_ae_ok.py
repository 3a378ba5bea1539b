"""Plain torch: an autoencoder squeezes a clay-digger's auger core into 6 numbers for the
pit-survey map of a brickfield, and flags cores it cannot rebuild. Each core is 48 readings
of moisture content (% of dry weight) every 5 cm down a 2.4 m hand auger hole: a dry-ish
topsoil (18-28 %) over a weathered band, then the brick-clay seam (26-40 %, wetter and
plastic) between a top at 30-110 cm and a base 40-120 cm lower, sometimes a thin sand lens
(8-14 %) inside it, and gravel or chalk below (6-12 %); the boundaries are smeared over
5-15 cm by the auger, and the oven-dry weighing adds about 0.7 % noise.
Input: (48,) moisture (% - 22) / 10. Model: encoder Linear 48→64, ReLU, Linear 64→32, ReLU,
Linear 32→6; decoder Linear 6→32, ReLU, Linear 32→64, ReLU, Linear 64→48; MSE, Adam 2e-3
with ReduceLROnPlateau (×0.5 after 3 flat epochs on val MSE), batch 32, 40 epochs, 1600
cores, validation on 400.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``cores_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_rmse_pct``); checkpoint ``auger_ae.pt`` with keys ``autoencoder`` /
``adam_state`` / ``plateau`` / ``epoch`` / ``depth_cm`` / ``pct_offset_scale``."""
import json

import torch
import torch.nn as nn

DEPTH = torch.arange(48).float() * 5 + 2.5


def cores(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    step = lambda edge, blur: torch.sigmoid((DEPTH - edge) / blur)  # noqa: E731
    top_soil = 18 + 10 * r(n, 1)
    seam = 26 + 14 * r(n, 1)
    below = 6 + 6 * r(n, 1)
    top = 30 + 80 * r(n, 1)
    base = top + 40 + 80 * r(n, 1)
    blur = 1.5 + 3 * r(n, 1)
    m = top_soil + (seam - top_soil) * step(top, blur) + (below - seam) * step(base, blur)
    lens = (r(n, 1) < 0.3).float()
    mid = top + (base - top) * (0.3 + 0.4 * r(n, 1))
    width = 5 + 10 * r(n, 1)
    m = m - lens * (seam - 11) * torch.exp(-((DEPTH - mid) / width) ** 2)
    m = m + 0.7 * torch.randn(n, 48, generator=g)
    return (m - 22) / 10


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(48, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 6), nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 64),
                         nn.ReLU(), nn.Linear(64, 48))


def main():
    from _threehundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = cores(1600, g)
    xva = cores(400, g)
    print("profile variance", xtr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "cores_fit.jsonl", "w") as f:
        for epoch in range(40):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 32):
                xb = xtr[perm[i:i + 32]]
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                val = nn.functional.mse_loss(model(xva), xva).item()
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"],
                   "train_mse": round(tot / len(xtr), 6), "val_mse": round(val, 6),
                   "val_rmse_pct": round(10 * val ** 0.5, 4)}
            sched.step(val)
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"autoencoder": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau": sched.state_dict(), "epoch": 40, "depth_cm": DEPTH,
                "pct_offset_scale": (22.0, 10.0)}, out / "auger_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="auger_ae.pt", log="cores_fit.jsonl",
           what="MLP autoencoder compressing a clay-digger's auger-core moisture profile to 6"
                " numbers (healthy)")


if __name__ == "__main__":
    main()
