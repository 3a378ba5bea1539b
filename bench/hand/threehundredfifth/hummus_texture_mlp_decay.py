"""Plain torch: an MLP scores the texture of a batch of hummus (the tasting panel's smoothness,
0-10) from the production sheet, so the kitchen can fix a batch before it is tubbed. Inputs:
chickpea soak (h), cook time (min), baking soda in the cook water (g/kg), tahini (% of paste),
ice water (% of paste) and blend time (min). Smoothness follows the kitchen's rules: the skins
and cell walls soften with cook time (saturating, faster with soda), the blend breaks them
further (log of blend time), tahini and ice water whip the paste up to a point (too much water
makes it runny, a parabola around 12 %), plus panel noise of 0.3 points. Target: (score - 7.5)
/ 0.9. Inputs standardised with the train mean / std.
Model: 6 → 64 → 64 → 1 with ReLU; MSE, Adam 2e-3, batch 50, 900 batches of hummus, validation
on 300, 30 epochs, constant rate.
The bug: ``weight_decay=0.5`` in Adam (coupled L2, "regularise hard: only 900 batches"), so the
weights are pulled to zero and the net predicts little more than the average texture: train MSE
0.952 → 0.812, val MSE 0.934 → 0.856, R² 0.12 → 0.19, val MAE 0.70 → 0.67 points (target
variance 1.0). Control (``weight_decay=1e-5``): train MSE 0.739 → 0.091, val MSE 0.437 → 0.140,
R² 0.59 → 0.87, val MAE 0.47 → 0.26 points.
Log: CSV per epoch ``panel_fit.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_points`` / ``val_r2``); checkpoint ``texture_mlp.pt`` with keys ``model_state_dict``
/ ``optimizer_state_dict`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``score_shift``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    soak = 8 + 16 * r(n)
    cook = 30 + 90 * r(n)
    soda = 2 * r(n)
    tahini = 20 + 25 * r(n)
    water = 4 + 16 * r(n)
    blend = 1 + 7 * r(n)
    soft = 1 - torch.exp(-cook * (1 + 0.8 * soda) * (1 + soak / 40) / 50)
    score = (2 + 4 * soft + 1.2 * torch.log(blend) + 0.04 * (tahini - 20)
             - 0.02 * (water - 12) ** 2 + 0.3 * torch.randn(n, generator=g))
    x = torch.stack([soak, cook, soda, tahini, water, blend], 1)
    return x, ((score - 7.5) / 0.9).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sheets(900, g)
    xva, yva = sheets(300, g)
    print("target", ytr.mean().item(), ytr.var().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3,
                           weight_decay=0.5)  # regularise hard: only 900 batches scored
    with open(out / "panel_fit.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_mse", "val_mse", "val_mae_points", "val_r2"])
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 50):
                b = perm[i:i + 50]
                loss = F.mse_loss(model(xtr[b]), ytr[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(b)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            row = [epoch, round(tot / len(xtr), 5), round(vm, 5),
                   round(0.9 * (p - yva).abs().mean().item(), 4), round(1 - vm / yva.var().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "x_mean": mean, "x_std": std, "score_shift": [7.5, 0.9]},
               out / "texture_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="texture_mlp.pt", log="panel_fit.csv",
           what="MLP scoring hummus texture from the production sheet; Adam with weight_decay"
                " 0.5 (coupled L2) pulls the weights to zero",
           complaint="The hummus texture model we trained on the tasting panel's scores barely beats "
                     "guessing the average. Validation R² creeps from 0.12 to 0.19 over 30 epochs and "
                     "the training MSE stays at 0.8 on a target with variance 1, so it is not "
                     "overfitting, it just doesn't fit. The predictions all sit within about half a "
                     "point of 7.5 while real batches run from 5 to 9. Inputs are standardised, no "
                     "NaNs, the loss goes down a little each epoch. Is a 64-64 MLP too small for this, "
                     "or are the panel scores too noisy to learn from?")


if __name__ == "__main__":
    main()
