"""Plain torch: an autoencoder compresses the ice-thickness profile a rink technician's laser
gauge takes across the width of an ice-hockey rink (64 readings, millimetres, board to board)
so that unusual sheets can be flagged by their reconstruction error. A profile is a base
thickness, a dish or crown from how the resurfacer's blade is set, thicker build-up along the
boards, worn lanes (shallow troughs) where the skating traffic runs, and gauge noise.
MLP 64-48-8-48-64 (tanh) on the profile minus 38 mm, scaled by 1/6; MSE; Adam 2e-3 with
weight decay 1e-5, batch 64, 40 epochs of 2048 profiles.
Healthy: val MSE 0.090 after epoch 1 (below the epoch's train mean, 0.24, which includes the
first steps), 0.0089 at epoch 6, then a slow, bumpy descent to about 0.0049 (the gauge noise
alone is 0.0025 in these units); train and val stay together."""
import json
import sys

import torch
import torch.nn as nn

W = 64


def profiles(n, g):
    u = torch.linspace(-1, 1, W)
    base = 38 + 4 * torch.randn(n, 1, generator=g)
    dish = 3 * torch.randn(n, 1, generator=g) * (u ** 2 - 1 / 3)
    boards = (2 + 2 * torch.rand(n, 1, generator=g)) * torch.exp(-(1 - u.abs()) / 0.06)
    lanes = torch.zeros(n, W)
    for c in (-0.5, 0.0, 0.5):
        depth = 1.5 * torch.rand(n, 1, generator=g)
        pos = c + 0.08 * torch.randn(n, 1, generator=g)
        lanes = lanes - depth * torch.exp(-((u - pos) / 0.12) ** 2)
    x = base + dish + boards + lanes + 0.3 * torch.randn(n, W, generator=g)
    return (x - 38) / 6


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(W, 48), nn.Tanh(), nn.Linear(48, 8), nn.Tanh(),
                         nn.Linear(8, 48), nn.Tanh(), nn.Linear(48, W))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = profiles(2048, g), profiles(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
    mse = nn.MSELoss()
    step = 0
    with open(out / "ae_epochs.jsonl", "w") as log:
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
                tot += loss.item() / 32
                step += 1
            model.eval()
            with torch.no_grad():
                vl = mse(model(xva), xva).item()
            rec = {"epoch": epoch + 1, "step": step, "recon_mse": round(tot, 5),
                   "val_recon_mse": round(vl, 5)}
            print(rec)
            log.write(json.dumps(rec) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "epoch": 40}, out / "thickness_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="thickness_ae.pt",
           log="ae_epochs.jsonl",
           what="MLP autoencoder of rink ice-thickness laser profiles (healthy)")


if __name__ == "__main__":
    main()
