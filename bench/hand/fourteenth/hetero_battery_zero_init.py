"""Heteroscedastic regression of a battery cell's remaining capacity (standardised) from 8
standardised features (cycle count, mean temperature, charge rate, internal resistance, ...):
an MLP 8-64-64 with two heads, the mean and the log-variance (the noise grows with the cycle
count), trained with ``nn.GaussianNLLLoss`` on ``exp(log_var)``. RMSprop lr 1e-3, batch 128,
25 epochs; CSV log of train / val NLL and val RMSE. The author starts every layer at zero
"so the first prediction is the mean with unit variance": BUG ``nn.init.zeros_`` on every
weight (and bias), so all hidden units stay identical at zero and no weight below the heads
ever gets a gradient; only the heads' biases learn."""
import csv

import torch
import torch.nn as nn


def cells(n, g):
    x = torch.randn(n, 8, generator=g)
    mean = 0.8 * x[:, 0] - 0.5 * x[:, 1] * x[:, 2] + 0.4 * torch.tanh(2 * x[:, 3])
    std = 0.1 + 0.4 * torch.sigmoid(2 * x[:, 0])
    y = mean + std * torch.randn(n, generator=g)
    return x, (y - y.mean()) / y.std()


class CapacityNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.mean = nn.Linear(64, 1)
        self.log_var = nn.Linear(64, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.weight)  # BUG
                nn.init.zeros_(m.bias)

    def forward(self, x):
        h = self.body(x)
        return self.mean(h).squeeze(-1), self.log_var(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return CapacityNet()


def main():
    from _fourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = cells(5000, g)
    tx, ty, vx, vy = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    crit = nn.GaussianNLLLoss()
    log = open(out / "capacity_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_nll", "val_nll", "val_rmse"])
    for epoch in range(25):
        model.train()
        tot = 0.0
        for idx in torch.randperm(4000, generator=g).split(128):
            mu, log_var = model(tx[idx])
            loss = crit(mu, ty[idx], log_var.exp())
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            mu, log_var = model(vx)
            vl = crit(mu, vy, log_var.exp()).item()
            rmse = (mu - vy).pow(2).mean().sqrt().item()
        w.writerow([epoch, round(tot / 4000, 4), round(vl, 4), round(rmse, 4)])
        print(epoch, round(tot / 4000, 4), round(vl, 4), round(rmse, 4))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "capacity.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["zero_weight_init"],
           checkpoint="capacity.pt", log="capacity_log.csv",
           what="heteroscedastic MLP (mean + log-variance heads) with every weight set to zero",
           complaint="电池容量回归模型（均值 + 方差两个输出）：验证 RMSE 一直是 1.0，"
                     "所有样本的预测都一样")


if __name__ == "__main__":
    main()
