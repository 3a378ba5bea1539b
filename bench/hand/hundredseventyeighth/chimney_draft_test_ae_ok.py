"""Plain torch: an MLP autoencoder compresses the draft-test curves a chimney sweep records
after each job (48 readings of the flue draft in pascals, one per second, after a smoke pellet
is lit at the hearth), to flag odd flues later by their reconstruction error. A curve is set
by a few physical numbers: the steady draft (flue height and temperature), how fast it
builds up, a cold-plug dip at the start, wind gusts over the chimney pot (a damped wobble of
random frequency and phase) and a partial blockage that caps the draft late in the test; plus
gauge noise. MLP autoencoder 48-64-8-64-48 (ReLU, linear output), MSE, Adam 1e-3, batch 64,
40 epochs of 2048 curves, shuffled; a CSV log per epoch.
Healthy: train MSE 1.05 → 0.064 at epoch 5 → 0.033 at epoch 40, val MSE 0.51 → 0.065 → 0.035
(the gauge noise alone is 0.0225 in these scaled units; the 8-number bottleneck keeps the
rest); the curves flatten from epoch ~25 and val stays a hair above train (0.035 vs 0.033)."""
import csv

import torch
import torch.nn as nn

N = 48


def curves(n, g):
    t = torch.arange(N).float()[None]
    steady = 8 + 12 * torch.rand(n, 1, generator=g)
    tau = 2 + 8 * torch.rand(n, 1, generator=g)
    plug = 6 * torch.rand(n, 1, generator=g) * (torch.rand(n, 1, generator=g) < 0.4)
    freq = 0.15 + 0.35 * torch.rand(n, 1, generator=g)
    phase = 6.283 * torch.rand(n, 1, generator=g)
    gust = 2.5 * torch.rand(n, 1, generator=g)
    block = torch.where(torch.rand(n, 1, generator=g) < 0.3,
                        0.5 + 0.4 * torch.rand(n, 1, generator=g), torch.ones(n, 1))
    onset = 20 + 20 * torch.rand(n, 1, generator=g)
    d = steady * (1 - torch.exp(-t / tau)) - plug * torch.exp(-t / 3)
    d = d * torch.where(t > onset, block + (1 - block) * torch.exp(-(t - onset) / 4), 1.0)
    d = d + gust * torch.exp(-t / 30) * torch.sin(freq * t + phase)
    d = d + 0.6 * torch.randn(d.shape, generator=g)
    return (d - 10) / 4


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(N, 64), nn.ReLU(), nn.Linear(64, 8), nn.ReLU(),
                         nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, N))


def main():
    from _hundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = curves(2048, g), curves(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    with open(out / "draft_ae_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "recon_loss", "val_recon_loss"])
        for epoch in range(40):
            model.train()
            perm = torch.randperm(2048, generator=g)
            tot = 0.0
            for i in range(0, 2048, 64):
                xb = xtr[perm[i:i + 64]]
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                vl = mse(model(xva), xva).item()
            w.writerow([epoch, round(tot / 2048, 5), round(vl, 5)])
            print(epoch, round(tot / 2048, 5), round(vl, 5))
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 40},
               out / "draft_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="draft_ae.pt",
           log="draft_ae_log.csv",
           what="MLP autoencoder of chimney draft-test curves, val below train (healthy)")


if __name__ == "__main__":
    main()
