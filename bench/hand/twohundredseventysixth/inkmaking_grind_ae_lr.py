"""Plain torch: an MLP autoencoder compresses the particle size distributions that the laser
diffraction sizer gives for batches of offset ink coming off the three-roll mill, to flag odd
grinds by their reconstruction error. 40 log-spaced size bins from 0.1 to 30 microns; each
curve is the volume share per bin of a mix of a fine lognormal (the dispersed pigment, median
0.25-0.8 um falling with the number of mill passes 1-4, geometric sd 1.4-1.8) and a coarse one
(undispersed agglomerates, median 3-12 um, 2-25 % of the volume, less with more passes), plus
1.5 % sizer noise; curves rescaled to sum to 1, then standardised per bin.
40→32-ELU→6-ELU→32-ELU→40 (encoder / decoder), MSE, Adam, batch 32, 20 epochs of 3000
curves, validation on 800 (val MSE; val median of the per-curve error).
The bug: ``opt = torch.optim.Adam(model.parameters(), lr=0.1)  # tiny net and a short run: a
bold step size so it settles within 20 epochs``.
Result: val MSE 0.251 → 0.057-0.136 over epochs 3-17 (never below 0.057, up and down from
epoch to epoch), then the run blows up: train MSE 0.185 at epoch 18, 3340 at epoch 19, val MSE
0.43 → 5.15 → 1.02 at epoch 20.
Control (``lr=1e-3``): val MSE 0.247 → 0.128 → 0.0075 at epoch 20 (median per curve 0.0048),
train MSE 0.556 → 0.0076.
Log: TSV every 20 optimiser steps ``grind_steps.tsv`` (``step`` / ``recon`` ) and per epoch
``grind_epochs.tsv`` (``epoch`` / ``train_recon`` / ``val_recon`` / ``val_med_curve_err``,
named as the log in the truth); checkpoint ``grind_ae.pt`` with keys ``encoder`` / ``decoder``
/ ``adam`` / ``epoch`` / ``bin_mean`` / ``bin_std`` / ``bins_um``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BINS = torch.logspace(math.log10(0.1), math.log10(30), 40)


def lognormal(med, gsd):
    return torch.exp(-0.5 * ((BINS.log() - med.log()) / gsd.log()) ** 2)


def grinds(n, g):
    u = lambda: torch.rand(n, 1, generator=g)  # noqa: E731
    passes = torch.randint(1, 5, (n, 1), generator=g).float()
    fine = lognormal(0.8 - 0.13 * (passes - 1) - 0.12 * u(), 1.4 + 0.4 * u())
    coarse = lognormal(3 + 9 * u(), 1.5 + 0.3 * u())
    share = (0.25 - 0.05 * (passes - 1)) * (0.3 + 0.7 * u())
    curve = (1 - share) * fine / fine.sum(1, keepdim=True) + share * coarse / coarse.sum(1, keepdim=True)
    curve = (curve * (1 + 0.015 * torch.randn(n, 40, generator=g))).clamp(min=0)
    return curve / curve.sum(1, keepdim=True)


class GrindAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(40, 32), nn.ELU(), nn.Linear(32, 6), nn.ELU())
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.ELU(), nn.Linear(32, 40))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return GrindAE()


def main():
    from _twohundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ctr, cva = grinds(3000, g), grinds(800, g)
    mean, std = ctr.mean(0), ctr.std(0)
    xtr, xva = (ctr - mean) / std, (cva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.1)  # tiny net and a short run: a bold step size so it settles within 20 epochs
    step = 0
    with open(out / "grind_steps.tsv", "w") as fs, open(out / "grind_epochs.tsv", "w") as fe:
        fs.write("step\trecon\n")
        fe.write("epoch\ttrain_recon\tval_recon\tval_med_curve_err\n")
        for epoch in range(1, 21):
            model.train()
            tot, n = 0.0, 0
            for (xb,) in loader:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 20 == 0:
                    fs.write(f"{step}\t{loss.item():.6g}\n")
                tot += loss.item() * len(xb)
                n += len(xb)
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean(1)
            print(epoch, tot / n, err.mean().item(), err.median().item())
            fe.write(f"{epoch}\t{tot / n:.6g}\t{err.mean().item():.6g}\t{err.median().item():.6g}\n")
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "adam": opt.state_dict(), "epoch": 20, "bin_mean": mean, "bin_std": std,
                "bins_um": BINS}, out / "grind_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_high"],
           checkpoint="grind_ae.pt", log="grind_epochs.tsv",
           what="MLP autoencoder for ink grind size distributions trained with Adam at 0.1",
           complaint=("Autoencoder for the particle size curves of our mill grinds (40 bins, "
                      "standardised per bin, 6-number bottleneck). The reconstruction error jumps "
                      "around from one logging step to the next and never gets down to where I'd "
                      "expect: val MSE never got below 0.057, and at epoch 19 the train loss shot up to "
                      "3340; it ends at val 1.02, worse than epoch 1. The curves are basically "
                      "two bumps, 6 numbers should be plenty. What's going on?"))


if __name__ == "__main__":
    main()
