"""Bayes by backprop: an MLP 1-64-64-2 whose weights are factorised Gaussians (mean mu, scale
softplus(rho), rho started at -5, one reparameterised sample per forward, a N(0, 1) prior, the
closed-form KL) for heteroscedastic regression: y = x sin(x) / 2 + noise whose std grows from
0.05 at x = -4 to 0.8 at x = 4 (1200 training points, 400 held out). The network outputs a mean
and a log-variance; loss = Gaussian NLL + KL / N (the ELBO per point). Adam, batch 64, 40
epochs; a CSV per epoch (train NLL, KL per point, val NLL, val RMSE of the mean over 10
weight samples).
Bug: Adam ``lr=0.03`` (a zero too few: 3e-3 was meant)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

LR = 0.03


class BayesLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.w_mu = nn.Parameter(torch.randn(n_out, n_in) * (1 / n_in) ** 0.5)
        self.w_rho = nn.Parameter(torch.full((n_out, n_in), -5.0))
        self.b_mu = nn.Parameter(torch.zeros(n_out))
        self.b_rho = nn.Parameter(torch.full((n_out,), -5.0))

    def forward(self, x):
        w = self.w_mu + F.softplus(self.w_rho) * torch.randn_like(self.w_mu)
        b = self.b_mu + F.softplus(self.b_rho) * torch.randn_like(self.b_mu)
        return F.linear(x, w, b)

    def kl(self):
        total = 0.0
        for mu, rho in ((self.w_mu, self.w_rho), (self.b_mu, self.b_rho)):
            s = F.softplus(rho)
            total = total + (0.5 * (s ** 2 + mu ** 2 - 1) - torch.log(s)).sum()
        return total


class BayesMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = BayesLinear(1, 64), BayesLinear(64, 64), BayesLinear(64, 2)

    def forward(self, x):
        h = torch.relu(self.l1(x))
        h = torch.relu(self.l2(h))
        return self.l3(h)  # (B, 2): mean, log-variance

    def kl(self):
        return self.l1.kl() + self.l2.kl() + self.l3.kl()


def build():
    torch.manual_seed(0)
    return BayesMLP()


def data(n, g):
    x = torch.rand(n, 1, generator=g) * 8 - 4
    std = 0.05 + 0.75 * (x + 4) / 8
    return x, x * torch.sin(x) / 2 + std * torch.randn(n, 1, generator=g)


def nll(out, y):
    mean, logvar = out[:, :1], out[:, 1:]
    return (0.5 * (logvar + (y - mean) ** 2 / logvar.exp()) + 0.9189).mean()


def main():
    from _fortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = data(1200, g)
    vx, vy = data(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    n = len(x)
    with open(out / "bbb_metrics.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "nll", "kl_per_point", "val_nll", "val_rmse"])
        for epoch in range(40):
            perm = torch.randperm(n, generator=g)
            tn = tk = 0.0
            for i in range(0, n, 64):
                idx = perm[i:i + 64]
                out_ = model(x[idx])
                data_term = nll(out_, y[idx])
                kl = model.kl() / n
                loss = data_term + kl
                opt.zero_grad()
                loss.backward()
                opt.step()
                tn += data_term.item() * len(idx)
                tk += kl.item() * len(idx)
            with torch.no_grad():
                outs = torch.stack([model(vx) for _ in range(10)])
                vn = nll(outs.mean(0), vy).item()
                rmse = ((outs[:, :, 0].mean(0) - vy[:, 0]) ** 2).mean().sqrt().item()
            w.writerow([epoch, round(tn / n, 5), round(tk / n, 5), round(vn, 5), round(rmse, 5)])
            print(epoch, round(tn / n, 4), round(tk / n, 4), round(vn, 4), round(rmse, 4))
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 39}, out / "bbb_epoch39.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_high"],
           checkpoint="bbb_epoch39.pt", log="bbb_metrics.csv",
           what="Bayes-by-backprop MLP, heteroscedastic regression, Adam lr 0.03",
           complaint="贝叶斯网络的验证 NLL 一直忽高忽低，RMSE 时好时坏，"
                     "训练到第二十几轮突然变得很大，后面全是 nan。")


if __name__ == "__main__":
    main()
