"""Deep kernel learning for 1-D regression: a sensor reading y = sin(2.5 x) + 0.3 x + noise
(σ = 0.15) over x in [−3, 3]. An MLP feature extractor 1 → 32 → 32 → 2 (tanh) under an exact
Gaussian process with an RBF kernel (learned length-scale, output-scale and noise), trained
full-batch on the negative log marginal likelihood of the 240 training points, Adam 0.01, 150
iterations; the log is CSV every 5 iterations (neg. marginal log-likelihood per point, val RMSE
and val NLPD of the predictive distribution, the learned noise).
Bug: the readings come sorted by x (the logger writes them in sweep order) and the split takes
the first 80 % for training and the last 20 % for validation without shuffling, so the
validation points (x > 1.62) lie outside every training input and the GP can only extrapolate."""
import csv
import math

import torch
import torch.nn as nn

SHUFFLE = False  # the bug: True is the control


def readings(n, g):
    x = torch.sort(torch.rand(n, generator=g) * 6 - 3).values
    y = torch.sin(2.5 * x) + 0.3 * x + 0.15 * torch.randn(n, generator=g)
    return x[:, None], y


class DKL(nn.Module):
    def __init__(self, train_x, train_y):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                                      nn.Linear(32, 2))
        self.log_lengthscale = nn.Parameter(torch.zeros(()))
        self.log_outputscale = nn.Parameter(torch.zeros(()))
        self.log_noise = nn.Parameter(torch.tensor(-1.0))
        self.register_buffer("train_x", train_x)
        self.register_buffer("train_y", train_y)

    def kernel(self, a, b):
        d = torch.cdist(self.features(a), self.features(b)) / self.log_lengthscale.exp()
        return self.log_outputscale.exp() * torch.exp(-0.5 * d ** 2)

    def neg_mll(self):
        n = len(self.train_y)
        k = self.kernel(self.train_x, self.train_x) + self.log_noise.exp() * torch.eye(n)
        chol = torch.linalg.cholesky(k)
        alpha = torch.cholesky_solve(self.train_y[:, None], chol)
        fit = 0.5 * (self.train_y[:, None] * alpha).sum()
        return (fit + chol.diagonal().log().sum() + 0.5 * n * math.log(2 * math.pi)) / n

    def predict(self, x):
        n = len(self.train_y)
        k = self.kernel(self.train_x, self.train_x) + self.log_noise.exp() * torch.eye(n)
        chol = torch.linalg.cholesky(k)
        ks = self.kernel(x, self.train_x)
        mean = ks @ torch.cholesky_solve(self.train_y[:, None], chol)
        v = torch.cholesky_solve(ks.T, chol)
        var = self.log_outputscale.exp() - (ks * v.T).sum(1) + self.log_noise.exp()
        return mean.squeeze(1), var.clamp_min(1e-6)

    def forward(self, x):
        return self.predict(x)[0]


def split(g):
    x, y = readings(300, g)
    if SHUFFLE:
        p = torch.randperm(300, generator=g)
        x, y = x[p], y[p]
    return x[:240], y[:240], x[240:], y[240:]


def build():
    g = torch.Generator().manual_seed(0)
    tx, ty, _, _ = split(g)
    torch.manual_seed(0)
    return DKL(tx, ty)


def main():
    from _fiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    _, _, vx, vy = split(g)
    model = build()
    print("train x", model.train_x.min().item(), model.train_x.max().item(),
          "val x", vx.min().item(), vx.max().item())
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    with open(out / "dkl_metrics.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["iteration", "neg_mll", "val_rmse", "val_nlpd", "noise"])
        for it in range(1, 151):
            loss = model.neg_mll()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if it % 5 == 0:
                with torch.no_grad():
                    mean, var = model.predict(vx)
                    rmse = (mean - vy).pow(2).mean().sqrt().item()
                    nlpd = (0.5 * (var.log() + (vy - mean) ** 2 / var
                                   + math.log(2 * math.pi))).mean().item()
                log.writerow([it, round(loss.item(), 5), round(rmse, 5), round(nlpd, 5),
                              round(model.log_noise.exp().item(), 5)])
                if it % 25 == 0:
                    print(it, round(loss.item(), 4), round(rmse, 4), round(nlpd, 4),
                          round(model.log_noise.exp().item(), 4))
    torch.save({"gp_model": model.state_dict(), "adam": opt.state_dict(), "iters": 150},
               out / "dkl_gp.pt")
    finish(out, __file__, (vx, vy), causes=["distribution_shift"],
           checkpoint="dkl_gp.pt", log="dkl_metrics.csv",
           what="deep kernel learning (MLP features + exact RBF GP), sorted data split "
                "head/tail without shuffling",
           complaint="The GP fits the training readings beautifully (the marginal likelihood "
                     "keeps improving) but the validation RMSE is awful from the very first "
                     "log line and never gets better. Is my kernel wrong?")


if __name__ == "__main__":
    main()
