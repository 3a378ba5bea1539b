"""Plain torch: an MLP regresses a night market stall's takings for the evening (thousand NT$)
from 8 numbers as the market office exports them: footfall past the stall (people, ~3000),
pitch rent (NT$, ~1500), evening temperature (°C, ~27), rain (mm, 0–20), distance to the
entrance (m, ~120), queue length at 20:00 (people, ~8), menu items (~10) and a weekend flag.
Takings grow with footfall, queue and weekend, fall with rain and distance. MLP 8 → 64 → 64 →
1 (Tanh), Adam 1e-3, batch 64, 30 epochs of 2048 evenings. Checkpoint ``{"model", "optim",
"epoch", "feat_mean", "feat_std"}``, CSV log per epoch (epoch, train_mse, val_mse, val_mae).

Bug: the script computes the feature mean and std on the training set (and saves them in the
checkpoint) and "standardises" with ``X.sub(mu).div(sd)`` in a loop over the two arrays, which
returns new tensors and throws them away (``sub_`` / ``div_`` would work in place): the model
trains and validates on the raw exports. Footfall and rent in the thousands saturate every first-layer
Tanh, which then pass little more than their signs on: train MSE 111 → 21.3 (epoch 10) → 13.9,
val MSE 78.7 → 21.0 → 13.1, val MAE 2.87 (thousand NT$) at epoch 30. Control
(``X.sub_(mu).div_(sd)``): train MSE 145 → 6.75 (epoch 10) → 1.45, val MSE 124 → 6.10 → 1.62,
val MAE 0.98 (noise std 1.0)."""
import sys

import torch
import torch.nn as nn


def evenings(n, g):
    foot = 3000 + 900 * torch.randn(n, generator=g)
    rent = 1500 + 400 * torch.randn(n, generator=g)
    temp = 27 + 3 * torch.randn(n, generator=g)
    rain = 20 * torch.rand(n, generator=g) ** 3
    dist = 120 * torch.rand(n, generator=g) * 2
    queue = torch.poisson(torch.full((n,), 8.0), generator=g)
    items = torch.randint(4, 16, (n,), generator=g).float()
    weekend = (torch.rand(n, generator=g) < 2 / 7).float()
    x = torch.stack([foot, rent, temp, rain, dist, queue, items, weekend], 1)
    y = (12 + 4 * (foot - 3000) / 900 + 1.5 * (queue - 8) / 2.8 + 3 * weekend - 0.25 * rain
         - 2 * (dist - 120) / 70 + 0.5 * (rent - 1500) / 400 + torch.randn(n, generator=g))
    return x, y.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    Xtr, ytr = evenings(2048, g)
    Xva, yva = evenings(512, g)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    for X in (Xtr, Xva):
        X.sub(mu).div(sd)
    model = build()
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = ["epoch,train_mse,val_mse,val_mae"]
    for epoch in range(30):
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = nn.functional.mse_loss(model(Xtr[idx]), ytr[idx])
            optim.zero_grad()
            loss.backward()
            optim.step()
            tot += loss.item() / 32
        with torch.no_grad():
            pv = model(Xva)
            vm = nn.functional.mse_loss(pv, yva).item()
            va = (pv - yva).abs().mean().item()
        rows.append(f"{epoch + 1},{tot:.4f},{vm:.4f},{va:.4f}")
        print(rows[-1])
    (out / "takings.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "epoch": 30,
                "feat_mean": mu, "feat_std": sd}, out / "takings_mlp.pt")
    finish(out, __file__, (Xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="takings_mlp.pt", log="takings.csv",
           what="Tanh MLP regressing a night market stall's evening takings from office exports",
           complaint="Takings model for the night market stalls: val MSE is stuck around 13 "
                     "(thousand NT$ squared) after 30 epochs, barely better than predicting the "
                     "average. Footfall alone should explain most of it. More epochs?")


if __name__ == "__main__":
    main()
