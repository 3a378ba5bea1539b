"""Plain torch: an MLP regresses the fragmentation of a quarry bench blast, log10 of P80 (the
sieve size 80 % of the muckpile passes, in cm), from 10 numbers of the blast design and the
rock: burden, spacing, hole diameter, bench height, stemming length, powder factor, explosive
strength, rock UCS, joint spacing, joint angle to the face. The target is a Kuz-Ram-like
formula (powder factor and joint spacing dominate, with an interaction of joint angle and
spacing) plus measurement noise from the photo-analysis. Inputs standardised. MLP
10-64-64-1 (SiLU), AdamW 3e-3 with weight decay 1e-3, batch 64, 30 epochs of 1280 blasts.
Healthy: after epoch 1 train MSE 0.45, val MSE 0.119, val MAE 0.285; at epoch 30 (``"epoch": 29``,
0-based) train 0.0104, val MSE 0.0118, val MAE 0.087 (the noise floor is 0.010); the
epoch-to-epoch train and val MSE wobble a little in the last epochs."""
import json

import torch
import torch.nn as nn


def blasts(n, g):
    z = torch.rand(n, 10, generator=g)
    burden, spacing, diam, height, stem = 2 + 3 * z[:, 0], 2.5 + 4 * z[:, 1], 76 + 100 * z[:, 2], \
        8 + 10 * z[:, 3], 1.5 + 2.5 * z[:, 4]
    pf, rws, ucs = 0.3 + 0.6 * z[:, 5], 80 + 40 * z[:, 6], 50 + 150 * z[:, 7]
    joint, angle = 0.2 + 1.8 * z[:, 8], 90 * z[:, 9]
    a = 4 + 6 * (ucs / 200)
    logp80 = (torch.log10(a) - 0.8 * torch.log10(pf) - 0.4 * torch.log10(rws / 100)
              + 0.35 * torch.log10(joint) * (1 + torch.cos(torch.deg2rad(angle)))
              + 0.15 * torch.log10(burden * spacing / diam * 30) + 0.05 * (stem / height)
              + 0.1 * torch.randn(n, generator=g))
    x = torch.stack([burden, spacing, diam, height, stem, pf, rws, ucs, joint, angle], 1)
    return x, logp80.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = blasts(1600, g)
    mu, sd = x[:1280].mean(0), x[:1280].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    mse = nn.MSELoss()
    with open(out / "fragmentation.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(1280, generator=g)
            tot = 0.0
            for i in range(0, 1280, 64):
                idx = perm[i:i + 64]
                loss = mse(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "train_mse": round(tot / 1280, 5),
                   "val_mse": round(mse(p, yva).item(), 5),
                   "val_mae": round((p - yva).abs().mean().item(), 5)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "x_mean": mu, "x_std": sd}, out / "p80_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="p80_mlp.pt",
           log="fragmentation.jsonl",
           what="MLP regressing blast fragmentation log10 P80 from blast design (healthy)")


if __name__ == "__main__":
    main()
