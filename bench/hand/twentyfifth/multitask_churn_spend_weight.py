"""A two-head multi-task model for a telecom's customers: a shared trunk (MLP 24 -> 32 -> 16)
with a churn head (binary, BCE) and a next-month spend head (regression, MSE), on 24 account
features (usage, tenure, tickets, plan, payment delays, ...). Churn is driven mostly by
support tickets, payment delays and contract features; spend by usage and plan. Spend is
standardised on the training split. Adam lr 1e-3, batch 128, 20 epochs. Bug: the loss is
``bce + SPEND_W * mse`` with ``SPEND_W = 200``, a weight left over from when spend was in
thousands of dollars (an MSE around 0.005); on the standardised target the spend term is
~280x the churn term at the start (193 vs 0.69) and ~20x at the end, and the shared trunk
serves spend alone: val spend MSE 0.087, but churn val AUC 0.55 -> 0.58, val BCE 0.691 ->
0.684 (``SPEND_W = 1``: churn AUC 0.64 -> 0.81, BCE 0.685 -> 0.530, spend MSE 0.092)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SPEND_W = 200.0  # spend loss is tiny next to the BCE, bring it up to the same scale


def customers(n, g):
    x = torch.randn(n, 24, generator=g)
    spend = (1.0 * x[:, 0] + 0.7 * x[:, 1] * (x[:, 2] > 0) + 0.5 * torch.tanh(2 * x[:, 3])
             + 0.4 * x[:, 4] ** 2 + 0.2 * torch.randn(n, generator=g))
    logit = (1.4 * x[:, 10] + 1.0 * F.relu(x[:, 11]) - 1.2 * x[:, 12] * (x[:, 13] > 0)
             + 0.8 * x[:, 14].abs() - 1.0 + 0.3 * x[:, 0])
    churn = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    return x, churn, spend


class TwoHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(24, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU())
        self.churn = nn.Linear(16, 1)
        self.spend = nn.Linear(16, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.churn(h).squeeze(-1), self.spend(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return TwoHead()


def auc(score, y):
    r = score.argsort().argsort().float() + 1
    pos = y.bool()
    n1, n0 = pos.sum(), (~pos).sum()
    return ((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)).item()


def main():
    from _twentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, churn, spend = customers(8000, g)
    mu, sd = spend[:6000].mean(), spend[:6000].std()
    spend = (spend - mu) / sd
    tr, va = slice(0, 6000), slice(6000, None)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "churn_bce", "spend_mse", "val_churn_bce", "val_churn_auc",
                "val_spend_mse"])
    for epoch in range(20):
        model.train()
        sums = torch.zeros(3)
        for idx in torch.randperm(6000, generator=g).split(128):
            logit, pred = model(x[tr][idx])
            bce = F.binary_cross_entropy_with_logits(logit, churn[tr][idx])
            mse = F.mse_loss(pred, spend[tr][idx])
            loss = bce + SPEND_W * mse
            opt.zero_grad()
            loss.backward()
            opt.step()
            sums += torch.tensor([loss.item(), bce.item(), mse.item()]) * len(idx) / 6000
        model.eval()
        with torch.no_grad():
            logit, pred = model(x[va])
        row = [epoch] + [round(v, 5) for v in sums.tolist()] + [
            round(F.binary_cross_entropy_with_logits(logit, churn[va]).item(), 5),
            round(auc(logit, churn[va]), 4), round(F.mse_loss(pred, spend[va]).item(), 5)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": epoch,
                "loss_weights": {"churn": 1.0, "spend": SPEND_W}}, out / "twohead.pt")
    finish(out, __file__, {"inputs": x[va][:128], "targets": churn[va][:128],
                           "spend": spend[va][:128]},
           causes=["multitask_loss_imbalance"], checkpoint="twohead.pt", log="metrics.csv",
           what="two-head churn + spend model whose spend MSE is weighted 200x on a "
                "standardised target, so the spend loss swamps the churn loss",
           complaint="Multi-task model: spend predictions are good but the churn head is much "
                     "worse than the churn-only model we had (val AUC 0.58 vs 0.81).")


if __name__ == "__main__":
    main()
