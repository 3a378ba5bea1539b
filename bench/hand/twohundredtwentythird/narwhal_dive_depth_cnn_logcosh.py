"""Plain torch: from the first 48 seconds of a narwhal's descent (1 Hz tag data: depth,
descent rate, fluke-stroke rate, pitch angle) a 1-D CNN predicts how deep the dive will go
(its maximum depth, 80-900 m): deep foraging dives (on Greenland halibut) start steeper, with
a faster stroke rate that narwhals then drop into gliding, shallow dives level off early. A
log-cosh regression loss (robust to the odd dive the tag mis-records), target (max depth -
450) / 250. Conv1d(4,24,5)-ReLU-Conv1d(24,24,5,stride 2)-ReLU-Conv1d(24,32,3)-ReLU-global
average pool-Linear(32,32)-ReLU-Linear(32,1), Adam 2e-3, batch 32, 10 epochs of 1280 dives,
256 validation dives. Per-epoch CSV ``dives.csv`` (epoch, train_logcosh, val_logcosh,
val_mae_m); checkpoint keys ``model`` / ``optim`` / ``epoch`` / ``step``.

Bug: the log-cosh is computed in NumPy ("torch had no logcosh") and turned back into a
tensor with ``torch.tensor(..., requires_grad=True)`` so that ``backward()`` stops
complaining: the loss is a new leaf with no history, backward reaches no weight and the
optimizer never moves the model. Numbers: train log-cosh 0.37932 in every one of
the 10 epochs, val log-cosh 0.37094 and val MAE 204.39 m in every epoch, the saved weights
equal ``build()``'s. Control (the loss computed with
``torch.log(torch.cosh(pred - yb)).mean()``): train log-cosh 0.161 (epoch 1) → 0.045 (5) → 0.026 (10), val log-cosh 0.063 →
0.049 → 0.035, val MAE 73.6 → 62.8 → 51.4 m."""
import csv

import numpy as np
import torch
import torch.nn as nn

T = 48


def descents(n, g):
    maxd = 80 + 820 * torch.rand(n, 1, generator=g)
    t = torch.arange(T).float()
    rate0 = 0.8 + 1.4 * (maxd - 80) / 820 + 0.25 * torch.randn(n, 1, generator=g)
    level = torch.exp(-t / (8 + 60 * (maxd - 80) / 820))
    rate = rate0 * (0.3 + 0.7 * level) + 0.1 * torch.randn(n, T, generator=g)
    depth = rate.clamp(min=0).cumsum(1)
    stroke = 0.2 + 0.5 * rate0 * (t < 20 + 10 * torch.rand(n, 1, generator=g)).float()
    stroke = stroke + 0.08 * torch.randn(n, T, generator=g)
    pitch = -(20 + 50 * rate / 2.5) + 5 * torch.randn(n, T, generator=g)
    x = torch.stack([depth / 50 - 1, rate - 1, stroke * 2 - 1, pitch / 40 + 1.5], 1)
    return x, ((maxd - 450) / 250).squeeze(1)


class DiveCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(4, 24, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(24, 24, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(24, 32, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.fc(self.conv(x)).squeeze(1)


def build():
    torch.manual_seed(0)
    return DiveCNN()


def main():
    from _twohundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = descents(1536, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "dives.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_logcosh", "val_logcosh", "val_mae_m"])
    step = 0
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(1280, generator=g)
        tot = 0.0
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            pred, yb = model(xtr[idx]), ytr[idx]
            err = pred.detach().numpy() - yb.numpy()
            loss = torch.tensor(np.log(np.cosh(err)).mean(), requires_grad=True)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
        row = [epoch, round(tot / 1280, 5), round(torch.log(torch.cosh(pv - yva)).mean().item(), 5),
               round(((pv - yva).abs().mean() * 250).item(), 2)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 10,
                "step": step}, out / "dive_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="dive_cnn.pt", log="dives.csv",
           what="1-D CNN predicting a narwhal's dive depth from the first 48 s of descent;"
                " log-cosh loss computed in NumPy and re-wrapped as a tensor",
           complaint="Dive depth model: the numbers in dives.csv are identical every epoch, train 0.37932, val 0.37094, MAE 204.39 m, for all 10 epochs. Not similar, identical to the last digit. No errors, backward runs, the optimizer steps. I tried lr 2e-2 and 2e-4 and got the same numbers. How can training change nothing at all?")


if __name__ == "__main__":
    main()
