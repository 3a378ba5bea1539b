"""Remaining-useful-life (RUL) regression for turbofan engines with an MC-dropout MLP that also
predicts its own variance (mean head + variance head, Gaussian NLL). Synthetic C-MAPSS-like
data: 60 engines run to failure (lifetimes 120–300 cycles); 14 sensors = a slow exponential
degradation signature (sensor-specific sign and weight) + operating-condition offsets + noise;
inputs are 10-cycle windows flattened with per-sensor standardisation. The target is the usual
piece-wise linear RUL, capped at 125 cycles (an engine early in life is "healthy": target 125),
scaled by /125. MLP 140 → 128 → 128 (ReLU, dropout 0.1) with ``mu`` and ``var`` heads; Adam
2e-3, batch 256, 16 epochs, the first 5 a warm-up on the mean alone (MSE), then the Gaussian
NLL; val = 12 held-out engines, 20 MC-dropout passes for the val RMSE in cycles. CSV log per
epoch: ``epoch, loss_train, mse_val, rmse_val_cycles, min_var`` (the smallest training var).
Bug: the variance head is made non-negative with ``.clamp(min=0)`` and the loss is written by
hand, ``0.5 * torch.log(var) + 0.5 * (y - mu) ** 2 / var`` — no eps. On the capped, easy part
of the data the NLL keeps pushing the variance down; once a head output goes below 0 the clamp
gives var = 0 exactly, log(0) = -inf and 0/0 = NaN, and the NaN gradient poisons every weight.
Warm-up fine (val RMSE 17.0 → 12.5 cycles, loss 0.099 → 0.017); epoch 6 — the first of the NLL —
is NaN and everything stays NaN (7 of the 8 weight tensors NaN at the end). Control (the bug
undone, ``F.softplus(self.var(h).squeeze(-1)) + 1e-6``): NLL -0.48 → -1.71, val RMSE 11.2
cycles at epoch 16, no NaN."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SENS, WIN, CAP, WARMUP = 14, 10, 125.0, 5


def fleet(n_engines, g):
    xs, ys, eng = [], [], []
    sign = torch.where(torch.rand(N_SENS, generator=g) < 0.5, -1.0, 1.0)
    weight = 0.3 + torch.rand(N_SENS, generator=g)
    for e in range(n_engines):
        life = int(torch.randint(120, 301, (1,), generator=g))
        t = torch.arange(life).float()
        deg = torch.exp((t - life) / (0.25 * life))           # 0 → 1 at failure
        cond = torch.randint(0, 3, (life,), generator=g).float()
        s = (sign * weight * 3 * deg[:, None] + 0.5 * cond[:, None] * weight.flip(0)
             + 0.3 * torch.randn(life, N_SENS, generator=g))
        rul = (life - 1 - t).clamp(max=CAP)
        for end in range(WIN, life + 1, 2):
            xs.append(torch.cat([s[end - WIN:end].flatten(), F.one_hot(cond[end - 1].long(), 3)]))
            ys.append(rul[end - 1] / CAP)
            eng.append(e)
    return torch.stack(xs), torch.stack(ys), torch.tensor(eng)


class RULNet(nn.Module):
    def __init__(self, d_in=N_SENS * WIN + 3, width=128, p=0.1):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d_in, width), nn.ReLU(), nn.Dropout(p),
                                  nn.Linear(width, width), nn.ReLU(), nn.Dropout(p))
        self.mu = nn.Linear(width, 1)
        self.var = nn.Linear(width, 1)

    def forward(self, x):
        h = self.body(x)
        return self.mu(h).squeeze(-1), self.var(h).squeeze(-1).clamp(min=0)


def build():
    torch.manual_seed(0)
    return RULNet()


def gaussian_nll(mu, var, y):
    return (0.5 * torch.log(var) + 0.5 * (y - mu) ** 2 / var).mean()


def main():
    from _ninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, eng = fleet(60, g)
    tr, va = eng < 48, eng >= 48
    m, s = x[tr].mean(0), x[tr].std(0) + 1e-6
    x = (x - m) / s
    xtr, ytr, xva, yva = x[tr], y[tr], x[va], y[va]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "rul_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss_train", "mse_val", "rmse_val_cycles", "min_var"])
    for epoch in range(1, 17):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, minv = 0.0, float("inf")
        for i in range(0, len(perm), 256):
            idx = perm[i:i + 256]
            mu, var = model(xtr[idx])
            if epoch <= WARMUP:  # fit the mean first, then switch to the NLL
                loss = F.mse_loss(mu, ytr[idx])
            else:
                loss = gaussian_nll(mu, var, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            minv = min(minv, var.min().item())
        with torch.no_grad():
            mu, var = model(xva)
            mse_val = F.mse_loss(mu, yva).item()
            mc = torch.stack([model(xva)[0] for _ in range(20)]).mean(0)  # dropout still on
            rmse = ((mc - yva) ** 2).mean().sqrt().item() * CAP
        row = [epoch, tot / len(xtr), mse_val, rmse, minv]
        w.writerow([f"{v:.6g}" if isinstance(v, float) else v for v in row])
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 16, "rul_cap": CAP, "x_mean": m, "x_std": s}, out / "rul_mcdropout.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["numerical_log_or_div_zero"],
           checkpoint="rul_mcdropout.pt", log="rul_metrics.csv",
           what="MC-dropout turbofan RUL regressor, variance clamped at 0 and a hand-written "
                "Gaussian NLL with log(var) and /var, no eps: NaN mid-training",
           complaint="My turbofan RUL model trains fine for the 5 warm-up epochs on MSE (val RMSE "
                     "17.0 down to 12.5 cycles), but in epoch 6, when it switches to the Gaussian "
                     "NLL so it can give uncertainties, the training loss, val MSE and RMSE all "
                     "become nan and stay nan to epoch 16. lr is only 2e-3.")


if __name__ == "__main__":
    main()
