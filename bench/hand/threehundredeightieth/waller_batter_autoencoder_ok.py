"""Plain torch: an MLP autoencoder learns the shape of a sound dry-stone wall's face from a
waller's survey, so a stretch whose profile it cannot rebuild (a bulge, a belly about to
slump) stands out for repair. Each profile is a laser offset from a plumb line at 48 heights
up a 1.6 m wall: the batter (the face leans in 1 in 6 to 1 in 8), a footing that steps out
at the foundation course, cope stones on top that overhang a little, course-by-course
roughness from the stones' faces, and for about one profile in eight a bulge (a Gaussian belly of
15-60 mm, 0.3-0.8 m up), which the survey also holds: the autoencoder is trained on all
profiles as surveyed. Input: (48,) offsets, centred and scaled by the train mean / std of
the whole set. Model: 48→64→GELU→16→GELU→6 (code) →16→GELU→64→GELU→48; MSE, Adam 2e-3
with ReduceLROnPlateau(0.5, patience 3) on the validation MSE, batch 128, 35 epochs, 2400
profiles, validation on 600.
Healthy; numbers in the README.
Log: JSON lines per epoch ``batter_fit.jsonl`` (``epoch`` / ``lr`` / ``recon_mse`` /
``val_recon_mse`` / ``val_recon_mse_bulged``); checkpoint ``wallface_ae.pt`` with keys
``autoencoder`` / ``adam_state`` / ``plateau`` / ``epoch`` / ``offset_mean`` /
``offset_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = 48


def profiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = torch.linspace(0, 1.6, H)
    batter = 1 / (6 + 2 * r(n, 1))
    face = 150 - 1000 * batter * z  # mm from the plumb line at the footing
    foot = 40 * (z < 0.12).float() * (0.7 + 0.6 * r(n, 1))
    cope = 25 * (z > 1.45).float() * r(n, 1)
    course = 0.18 + 0.08 * r(n, 1)
    rough = 6 * torch.sin(2 * 3.1416 * z / course + 6.28 * r(n, 1)) + 5 * torch.randn(n, H, generator=g)
    bulged = (r(n, 1) < 0.125).float()
    belly = bulged * (15 + 45 * r(n, 1)) * torch.exp(-0.5 * ((z - 0.3 - 0.5 * r(n, 1)) / 0.15) ** 2)
    return face + foot + cope + rough + belly, bulged[:, 0].bool()


class FaceAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(H, 64), nn.GELU(), nn.Linear(64, 16), nn.GELU(),
                                 nn.Linear(16, 6))
        self.dec = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 64), nn.GELU(),
                                 nn.Linear(64, H))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return FaceAE()


def main():
    from _threehundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr, _ = profiles(2400, g)
    pva, bva = profiles(600, g)
    mu, sc = ptr.mean(0), ptr.std()
    xtr, xva = (ptr - mu) / sc, (pva - mu) / sc
    print("bulged in val", int(bva.sum()), "scale mm", sc.item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "batter_fit.jsonl", "w") as f:
        for epoch in range(35):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean(1)
            lr = opt.param_groups[0]["lr"]
            plateau.step(err.mean().item())
            row = {"epoch": epoch, "lr": lr, "recon_mse": round(tot / len(xtr), 6),
                   "val_recon_mse": round(err.mean().item(), 6),
                   "val_recon_mse_bulged": round(err[bva].mean().item(), 6)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"autoencoder": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 35, "offset_mean": mu,
                "offset_scale": sc}, out / "wallface_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="wallface_ae.pt", log="batter_fit.jsonl",
           what="MLP autoencoder of dry-stone wall face profiles (batter, footing, cope,"
                " bulges) from a waller's laser survey (healthy)")


if __name__ == "__main__":
    main()
