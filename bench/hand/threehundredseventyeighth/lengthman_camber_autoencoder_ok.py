"""Plain torch: an MLP autoencoder learns what a sound cross-section of a parish road looks
like, so a lengthman (the roadman who keeps his own length of road: ditches, grips, patching)
can flag the sections whose profile it cannot rebuild, ruts and slumped edges that want the
shovel before winter. Each sample is one transverse profile, the surface height in mm at 64
points across a 5-7 m carriageway measured with the straightedge and wedge: a crowned
camber (40-120 mm at the crown), a crossfall where the road leans (±30 mm), wheel-path ruts
(two dips 0-25 mm deep at 1.4-1.8 m either side of the centre line, 0.3-0.5 m wide), an
edge that has slumped on one side on some lengths, and a few mm of stone and reading noise.
Input: (64,) height / 50 mm. Model: 64→48→Tanh→16→Tanh→6 (code)→16→Tanh→48→Tanh→64;
MSE to the input, AdamW 1e-3 (weight decay 1e-4) with ReduceLROnPlateau (×0.5, patience 2
on val MSE), batch 128, 30 epochs, 3000 profiles, validation on 600.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``length_ae.jsonl`` (``ep`` / ``lr`` / ``recon_train`` /
``recon_val`` / ``recon_val_rutted`` (val profiles with ruts over 15 mm) / ``rmse_mm``);
checkpoint ``lengthman_ae.ckpt`` with keys ``autoencoder`` / ``optim`` / ``plateau`` /
``ep`` / ``height_scale_mm``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

P = 64


def profiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    width = 5 + 2 * r(n, 1)
    u = torch.linspace(-0.5, 0.5, P).unsqueeze(0) * width  # metres from the centre line
    crown = 40 + 80 * r(n, 1)
    h = crown * (1 - (2 * u / width) ** 2)
    h = h + 60 * (r(n, 1) - 0.5) * (2 * u / width)
    rut = 25 * r(n, 1)
    off, wid = 1.4 + 0.4 * r(n, 1), 0.3 + 0.2 * r(n, 1)
    h = h - rut * (torch.exp(-((u - off) / wid) ** 2) + torch.exp(-((u + off) / wid) ** 2))
    slump = (r(n, 1) < 0.2).float() * 30 * r(n, 1)
    side = torch.where(r(n, 1) < 0.5, -1.0, 1.0)
    h = h - slump * torch.sigmoid((side * u - width / 2 + 0.6) / 0.15)
    h = h + 3 * torch.randn(n, P, generator=g)
    return h, rut.squeeze(1)


class CamberAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(P, 48), nn.Tanh(), nn.Linear(48, 16), nn.Tanh(),
                                 nn.Linear(16, 6))
        self.dec = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 48), nn.Tanh(),
                                 nn.Linear(48, P))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return CamberAE()


def main():
    from _threehundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    htr, _ = profiles(3000, g)
    hva, rut_va = profiles(600, g)
    xtr, xva = htr / 50.0, hva / 50.0
    rutted = rut_va > 15
    print("height range mm", htr.min().item(), htr.max().item(), "var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    mse = nn.MSELoss()
    with open(out / "length_ae.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            tot, seen = 0.0, 0
            for (xb,) in dl:
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                seen += len(xb)
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean(1)
            val = err.mean().item()
            plateau.step(val)
            row = {"ep": ep, "lr": opt.param_groups[0]["lr"], "recon_train": round(tot / seen, 6),
                   "recon_val": round(val, 6), "recon_val_rutted": round(err[rutted].mean().item(), 6),
                   "rmse_mm": round(50 * val ** 0.5, 3)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"autoencoder": model.state_dict(), "optim": opt.state_dict(),
                "plateau": plateau.state_dict(), "ep": 30, "height_scale_mm": 50.0},
               out / "lengthman_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="lengthman_ae.ckpt", log="length_ae.jsonl",
           what="MLP autoencoder rebuilding a lengthman's road cross-section profiles"
                " (camber, crossfall, ruts) to flag bad lengths (healthy)")


if __name__ == "__main__":
    main()
