"""Plain torch: an MLP predicts the in-place density of a freshly rolled tarmac (asphalt
concrete surface course) mat, as % of the mix's maximum theoretical density, from what the
paving crew logs at the paver, so the foreman knows before the cores come back from the
lab whether a lot will fail the 92 % spec. 6 inputs: mat temperature at laydown (°C),
air temperature (°C), wind (m/s), lift thickness (mm), breakdown roller passes, minutes
from laydown to the first pass. Density follows a compaction curve that saturates with
the passes; the passes only count while the mat is above about 100 °C, and the mat cools
faster when thin, windy and cold (Newton cooling); plus core-to-core noise (± 0.4 %).
Input: (6,) standardised with the train mean / std. Target: (density % - 92) / 2, shape (N,).
Model: 6→64→ReLU→64→ReLU→1; MSE, Adam 2e-3, batch 64, 15 epochs, 2000 lots, validation
on 500.
The bug: the target is kept as a flat vector ``(N,)`` while the model returns ``(N, 1)``,
and the loss is ``F.mse_loss(model(xb), yb)``: the two broadcast to a (64, 64) grid, so
every prediction is pulled to every core of the batch and the net learns the batch mean.
Effect: train MSE 0.634 → 0.620 and val MSE 0.622 → 0.615 (flat from epoch 0), val RMSE
1.58 → 1.57 % density, and every lot gets the same pass / fail call (val spec accuracy
0.686 in every epoch) (control, ``model(xb).squeeze(1)``: train MSE 0.341 → 0.050, val MSE
0.144 → 0.0474, val RMSE 0.76 → 0.44 %, spec accuracy 0.876 → 0.948).
Log: JSON lines per epoch ``density_log.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_rmse_pct`` / ``val_spec_acc``); checkpoint ``density_mlp.pt`` with keys ``weights``
/ ``adam`` / ``epoch`` / ``x_mean`` / ``x_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t_lay = 130 + 35 * r(n)
    air = 2 + 28 * r(n)
    wind = 8 * r(n)
    lift = 30 + 40 * r(n)
    passes = torch.randint(2, 11, (n,), generator=g).float()
    delay = 1 + 9 * r(n)
    k = 0.012 * (1 + 0.15 * wind) * 50 / lift  # 1/min
    t_first = air + (t_lay - air) * torch.exp(-k * delay)
    # minutes of rolling window left above 100 °C, 1.2 min per pass
    window = torch.log(((t_first - air) / (100 - air)).clamp(min=1.0)) / k
    eff = torch.minimum(passes, window / 1.2)
    dens = 86 + 9 * (1 - torch.exp(-eff / 3.5)) + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([t_lay, air, wind, lift, passes, delay], 1)
    return x, (dens - 92) / 2


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lots(2000, g)
    xva, yva = lots(500, g)
    print("target", ytr.mean().item(), ytr.std().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "density_log.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)  # predicted vs cored density
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva).view(-1)
            row = {"epoch": epoch, "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_rmse_pct": round(2 * (p - yva).pow(2).mean().sqrt().item(), 5),
                   "val_spec_acc": round(((p >= 0) == (yva >= 0)).float().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epoch": 15,
                "x_mean": mu, "x_std": sd}, out / "density_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="density_mlp.pt", log="density_log.jsonl",
           what="MLP predicting tarmac mat density from paver logs; (N, 1) predictions against"
                " an (N,) target in the MSE, broadcast to a batch-by-batch grid",
           complaint=("Our tarmac density model will not learn. The training loss sits at 0.62"
                     " from the first epoch to the last, the validation RMSE stays at about"
                     " 1.57 % density, and it gives every lot the same pass / fail call"
                     " (68.6 % right, which is just the share of lots that pass). More epochs"
                     " and a higher learning rate changed nothing; the inputs are standardised"
                     " and the core densities look right."))


if __name__ == "__main__":
    main()
