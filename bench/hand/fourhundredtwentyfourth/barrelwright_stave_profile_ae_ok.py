"""Plain torch: an autoencoder compresses the width profile of a jointed barrel stave, so the
barrelwright's gauge bench can store each stave as 4 numbers and flag ones that will not
close tight. A stave is measured at 32 points along its length; a jointed stave is widest at
the bilge and tapers to both heads as the arc of a circle would have it (the cooper's rule
for the joint: width(x) = head + (bilge - head) × (1 - (2x/L - 1)²), head 45-60 mm, bilge
70-95 mm), with a bilge a little off centre on some staves (±4 % of the length, the hand
jointer), a gentle twist term from the froe, and 0.3 mm gauge noise.
Input: (32,) widths as (mm - 70) / 12. Model: 32→48→ReLU→16→ReLU→4 (code) → 16→ReLU→48→ReLU→32;
MSE, AdamW 4e-3 (weight decay 1e-4) with ExponentialLR(0.9) per epoch, batch 128, 24 epochs,
3072 staves, validation on 512.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``gauge_ae.jsonl`` (``ep`` / ``lr`` / ``recon_train`` /
``recon_val`` / ``val_rmse_mm`` / ``val_worst_mm``); checkpoint ``stave_codec.pth`` with keys
``enc_dec`` / ``adamw`` / ``sched`` / ``ep`` / ``width_center_scale`` / ``points``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

P = 32


def staves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    x = torch.linspace(0, 1, P).unsqueeze(0)
    head = 45 + 15 * r(n, 1)
    bilge = 70 + 25 * r(n, 1)
    centre = 0.5 + 0.04 * (2 * r(n, 1) - 1)
    u = ((x - centre) / torch.where(x < centre, centre, 1 - centre)).clamp(-1, 1)
    width = head + (bilge - head) * (1 - u ** 2)
    twist = 1.2 * (2 * r(n, 1) - 1) * torch.sin(3.1416 * x) * (x - 0.5)
    width = width + twist + 0.3 * torch.randn(n, P, generator=g)
    return (width - 70) / 12


class StaveAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(P, 48), nn.ReLU(), nn.Linear(48, 16), nn.ReLU(),
                                 nn.Linear(16, 4))
        self.dec = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 48), nn.ReLU(),
                                 nn.Linear(48, P))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return StaveAE()


def main():
    from _fourhundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = staves(3072, g), staves(512, g)
    print("input var", xtr.var().item(), "noise var", (0.3 / 12) ** 2)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "gauge_ae.jsonl", "w") as f:
        for ep in range(24):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                err = model(xva) - xva
            rec = {"ep": ep, "lr": lr, "recon_train": tot / len(xtr),
                   "recon_val": err.pow(2).mean().item(),
                   "val_rmse_mm": 12 * err.pow(2).mean().sqrt().item(),
                   "val_worst_mm": 12 * err.abs().max().item()}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"enc_dec": model.state_dict(), "adamw": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 24, "width_center_scale": (70.0, 12.0),
                "points": P}, out / "stave_codec.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="stave_codec.pth", log="gauge_ae.jsonl",
           what="autoencoder compressing a jointed barrel stave's width profile to 4 numbers"
                " (healthy)")


if __name__ == "__main__":
    main()
