"""Plain torch: an MLP predicts the underwater visibility (metres) a snorkelling guide will meet
at a reef site tomorrow from 12 forecast and site readings: wind speed and direction, swell
height and period, rainfall of the last 48 h, tide range, river distance, plankton index,
boat traffic, depth, sea temperature and hours since the last blow. Visibility falls with
swell, rain runoff near rivers and plankton, and recovers with calm hours (a nonlinear mix of
eight of them) plus 0.6 m of noise; 3-25 m. Targets are standardised (mean/std of the training
set). MLP 12-64-ReLU-64-ReLU-1, Adam 2e-3, batch 64, 30 epochs of 1536 sites, shuffled. Per-epoch
CSV ``vis_log.csv`` (epoch, train_loss, val_loss, val_mae_m on 256 held-out sites).
The bug: the targets are kept as a vector ``y`` of shape (N,) while the model returns (N, 1);
``F.mse_loss(pred, yb)`` broadcasts (64, 1) against (64,) to a 64x64 matrix of every prediction
minus every target (PyTorch only warns), so the best the model can do is predict the batch mean
for every site: train loss 1.006 (epoch 1) → 1.000 (epoch 30), val loss 0.98-0.99 all along,
val MAE 3.77 m at epoch 1, 3.80 m at epoch 30 (the visibility's std is 4.74 m, mean 12.3 m).
Control (``sed 's/mse_loss(pred, yb)/mse_loss(pred.squeeze(1), yb)/'``, both lines): epoch 1
train loss 0.641, val loss 0.303, val MAE 2.12 m; epoch 30 train loss 0.047, val loss 0.114,
val MAE 1.24 m (the 0.6 m noise, x2, sets a floor near 1 m)."""
import csv
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


def sites(n, g):
    x = torch.randn(n, 12, generator=g)
    wind, swell, period, rain, tide, river, plankton, calm = (x[:, i] for i in range(8))
    vis = (9 - 2.5 * F.softplus(swell + 0.3 * wind) - 1.8 * torch.sigmoid(2 * rain) * torch.exp(
        -river.clamp(min=-1.5)) - 1.5 * plankton.clamp(min=0) + 1.2 * torch.tanh(calm)
        + 0.8 * period * (swell < 0) - 0.5 * tide.abs() + 0.6 * torch.randn(n, generator=g))
    return x, (3 + 2.0 * vis).clamp(3, 25)


class VisNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return VisNet()


def main():
    from _twohundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    warnings.simplefilter("ignore", UserWarning)
    g = torch.Generator().manual_seed(0)
    x, vis = sites(1792, g)
    mu, sd = vis[:1536].mean(), vis[:1536].std()
    print("visibility mean/std (m)", mu.item(), sd.item())
    y = (vis - mu) / sd
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "vis_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_mae_m"])
    for epoch in range(1, 31):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            xb, yb = xtr[idx], ytr[idx]
            pred = model(xb)
            loss = F.mse_loss(pred, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(xva)
            yb = yva
            vloss = F.mse_loss(pred, yb).item()
            mae = ((pred.squeeze(1) - yva).abs().mean() * sd).item()
        row = [epoch, round(tot / 1536, 4), round(vloss, 4), round(mae, 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30,
                "target_mean": mu.item(), "target_std": sd.item()}, out / "visnet.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="visnet.pth", log="vis_log.csv",
           what="MLP regressing tomorrow's snorkelling visibility; (N,1) predictions against (N,)"
                " targets broadcast in the MSE",
           complaint=("Snorkel visibility forecaster (12 forecast/site features → metres). 30"
                      " epochs and the loss just sits at 1.0 on standardised targets, val MAE"
                      " 3.8 m when the visibility std is under 5 m. It basically says the same"
                      " number for every reef. Tried more epochs, no change. What am I missing?"))


if __name__ == "__main__":
    main()
