"""Plain torch: a denoising autoencoder learns the thickness profile of a hornworker's pressed
horn plates, so a plate with a thin spot or a blister (one that will crack when the comb
teeth are cut) stands out by its reconstruction error. The horn is split, softened in hot
water, opened out and pressed between hot iron plates; a dial gauge then reads the plate's
thickness at 48 points along its length (root end to tip end). A good plate: a base
thickness set by the press gap (1.6-3.0 mm), a taper towards the tip end (the horn wall thins,
0.3-0.9 mm over the plate), a gentle bow where the horn's curl was pressed out (one broad
hump, 0.05-0.2 mm, somewhere in the middle third), a faint ripple from the press plates' tool
marks, and gauge noise ± 0.02 mm.
Input: (48,) thickness in mm minus 2.0 (the shop's nominal plate); in training each profile
also gets gauge-like noise (σ 0.05 mm) added before the encoder (denoising), the target is
the clean reading. Model: 48→32→ELU→6 (code) and 6→32→ELU→48; MSE, AdamW 2e-3 (weight decay
1e-4) with StepLR (×0.5 every 8 epochs), batch 40, 24 epochs, 1600 plates, validation on 400.
Healthy; numbers in the README.
Log: JSON lines, one per epoch ``plate_ae.jsonl`` (``epoch`` / ``lr`` / ``train_recon`` /
``val_recon`` / ``val_rmse_mm``); checkpoint ``plate_ae.pth`` with keys ``encoder`` /
``decoder`` / ``adamw`` / ``steplr`` / ``epoch`` / ``nominal_mm`` / ``train_noise_mm``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

P = 48


def plates(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    s = torch.linspace(0, 1, P)
    base = 1.6 + 1.4 * r(n, 1)
    taper = (0.3 + 0.6 * r(n, 1)) * s
    c, h = 0.33 + 0.33 * r(n, 1), 0.05 + 0.15 * r(n, 1)
    bow = h * torch.exp(-((s - c) / 0.18) ** 2)
    ripple = 0.015 * torch.sin(2 * math.pi * 6 * s + 2 * math.pi * r(n, 1))
    return base - taper + bow + ripple + 0.02 * torch.randn(n, P, generator=g)


class PlateAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(P, 32), nn.ELU(), nn.Linear(32, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.ELU(), nn.Linear(32, P))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return PlateAE()


def main():
    from _threehundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = plates(1600, g) - 2.0, plates(400, g) - 2.0
    print("profile variance", xva.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    with open(out / "plate_ae.jsonl", "w") as log:
        for epoch in range(24):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                noisy = xb + 0.05 * torch.randn_like(xb)
                loss = F.mse_loss(model(noisy), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                val = F.mse_loss(model(xva), xva).item()
            rec = {"epoch": epoch, "lr": lr, "train_recon": tot / len(xtr), "val_recon": val,
                   "val_rmse_mm": math.sqrt(val)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "adamw": opt.state_dict(), "steplr": sched.state_dict(), "epoch": 24,
                "nominal_mm": 2.0, "train_noise_mm": 0.05}, out / "plate_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="plate_ae.pth", log="plate_ae.jsonl",
           what="denoising MLP autoencoder of pressed horn plate thickness profiles (healthy)")


if __name__ == "__main__":
    main()
