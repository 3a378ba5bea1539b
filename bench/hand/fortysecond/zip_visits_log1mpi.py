"""Zero-inflated Poisson regression of daily store visits: 10 store/day features (footfall
index, weather, weekday, … and a 0/1 "closed that day" flag on 15 % of the days). An open day
is a structural zero (sensor off) with probability sigmoid(1.2 x8 - 1.5), otherwise the
visits are Poisson(exp(b·x)), rates from about 0.2 to 30; a closed day always counts 0. MLP
trunk 10 → 64 → 64 (ReLU), two heads: a zero logit (pi = sigmoid) and a softplus rate. The
ZIP negative log-likelihood is written by hand with ``torch.where(y == 0, …)``, Adam 1e-2,
batch 128, 30 epochs; the log is a CSV (``iter, epoch, zip_nll, val_zip_nll, val_mae``).
Bug: the positive-count branch is ``torch.log(1 - pi) + y * log(rate) - …`` with no epsilon
(instead of ``logsigmoid(-logit)``). The closed days are always 0, so their zero logit keeps
growing; once one reaches ~16.6 float32 rounds sigmoid to exactly 1.0, log(1 - pi) = -inf in
the branch ``where`` discards, and its backward 0 / 0 = NaN still flows into every weight:
NaN at epoch 17 of a run that was healthy until then (control with ``+ 1e-8``: val NLL 1.34,
val MAE 1.48 after 30 epochs, no NaN)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEAT = 10
EPS = 0.0  # the control uses 1e-8


def visits(n, g):
    x = torch.randn(n, FEAT, generator=g)
    x[:, 9] = (torch.rand(n, generator=g) < 0.15).float()  # store closed that day
    a = torch.tensor([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.2, 0.0])
    b = torch.tensor([0.9, 0.7, -0.4, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    pi = torch.sigmoid(x @ a - 1.5)
    rate = torch.exp(x @ b + 0.6)
    zero = (torch.rand(n, generator=g) < pi) | (x[:, 9] > 0)
    y = torch.where(zero, torch.zeros(n), torch.poisson(rate, generator=g))
    return x, y


class ZIPNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(FEAT, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.zero_head = nn.Linear(64, 1)
        self.rate_head = nn.Linear(64, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.zero_head(h).squeeze(-1), F.softplus(self.rate_head(h)).squeeze(-1)


def zip_nll(zero_logit, rate, y):
    pi = torch.sigmoid(zero_logit)
    p0 = pi + (1 - pi) * torch.exp(-rate)
    ll_zero = torch.log(p0)
    ll_pos = torch.log(1 - pi + EPS) + y * torch.log(rate) - rate - torch.lgamma(y + 1)
    return -torch.where(y == 0, ll_zero, ll_pos).mean()


def build():
    torch.manual_seed(0)
    return ZIPNet()


def main():
    from _fortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = visits(6000, g)
    tx, ty, vx, vy = x[:5000], y[:5000], x[5000:], y[5000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    f = open(out / "visits_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iter", "epoch", "zip_nll", "val_zip_nll", "val_mae"])
    it = 0
    for epoch in range(30):
        model.train()
        for idx in torch.randperm(5000, generator=g).split(128):
            loss = zip_nll(*model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                w.writerow([it, epoch, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            zl, rate = model(vx)
            vl = zip_nll(zl, rate, vy).item()
            mae = ((1 - torch.sigmoid(zl)) * rate - vy).abs().mean().item()
        w.writerow([it, epoch, "", round(vl, 4), round(mae, 4)])
        print(epoch, round(loss.item(), 4), round(vl, 4), round(mae, 4))
    f.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epoch_idx": epoch,
                "iters": it}, out / "zip_visits.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["numerical_log_or_div_zero"],
           checkpoint="zip_visits.pt", log="visits_log.csv",
           what="zero-inflated Poisson MLP, log(1 - sigmoid(logit)) without eps in the "
                "count branch",
           complaint="the store-visit model trained fine for a few epochs, the validation "
                     "NLL was dropping nicely, then all the losses became nan and never "
                     "came back")


if __name__ == "__main__":
    main()
