"""Pension fund: predict a member's pot at retirement (standardised, in units of the average pot)
from 30 years of monthly contributions (360 steps: salary-linked contribution, employer match,
contribution holidays, lump-sum transfers in, each month's fund return). The pot compounds, so
early contributions matter as much as late ones. A one-layer LSTM (4 inputs, hidden 48) and a
linear head on the last state, MSE, plain SGD lr 0.8 (a char-LM recipe's, scaled down), batch 32,
8 epochs of 640 members; a CSV per 2 steps with step, epoch, mse, grad_norm (the total norm
before the step) and a per-epoch val_mse row.
Bug: the recipe's ``clip_grad_norm_(…, 0.25)`` was left out (``CLIP = None``; the norm is still
measured with an infinite max). Grad norm 3.0 at step 2, 13.8, 1.2e3, 3.2e5, 2.4e6, 8.2e11, 8.2e14
at step 16, then NaN from step 18 on (mse 2.4 → 9 → 3.6e3 → 1e28 → NaN), val mse NaN every
epoch. The control (``CLIP = 0.25``) trains: val mse 0.37, 0.36, 0.33, 0.33, 0.31, 0.29, 0.27,
0.26."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 360
CLIP = None  # the recipe used 0.25
LR = 0.8


def members(n, g):
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    salary = (1 + 0.3 * r(n, 1)) * torch.exp(torch.cumsum(0.002 + 0.004 * r(n, T), 1))
    holiday = (torch.rand(n, T, generator=g) < 0.03).float()
    holiday = torch.clamp(holiday + torch.roll(holiday, 1, 1) + torch.roll(holiday, 2, 1), 0, 1)
    rate = 0.05 + 0.04 * torch.rand(n, 1, generator=g)
    contrib = salary * rate * (1 - holiday)
    match = torch.minimum(contrib, 0.04 * salary) * (torch.rand(n, 1, generator=g) < 0.7)
    transfer = (torch.rand(n, T, generator=g) < 0.004).float() * (2 + 3 * torch.rand(n, T, generator=g))
    ret = 0.004 + 0.03 * r(1, T).expand(n, T) + 0.005 * r(n, T)
    pot = torch.zeros(n)
    for t in range(T):
        pot = pot * (1 + ret[:, t]) + contrib[:, t] + match[:, t] + transfer[:, t]
    x = torch.stack([contrib * 10, match * 10, transfer, ret * 20], 2)
    return x, pot


class PotLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h[:, -1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return PotLSTM()


def main():
    from _hundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, pot = members(800, g)
    y = (pot - pot.mean()) / pot.std()
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    f = open(out / "pot_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "mse", "grad_norm", "val_mse"])
    step = 0
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(640, generator=g)
        for i in range(0, 640, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP or math.inf)
            opt.step()
            step += 1
            if step % 2 == 0:
                w.writerow([step, epoch, round(loss.item(), 5), round(gn.item(), 4), ""])
                print(step, round(loss.item(), 4), round(gn.item(), 3))
        model.eval()
        with torch.no_grad():
            vm = F.mse_loss(model(xva), yva).item()
        w.writerow([step, epoch, "", "", round(vm, 5)])
        print("val", epoch, vm)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "step": step, "clip": CLIP}, out / "pot_lstm.ckpt")
    finish(out, __file__, (xva[:32], yva[:32]), causes=["exploding_gradients"],
           checkpoint="pot_lstm.ckpt", log="pot_training.csv",
           what="pension-pot LSTM over 360 months, SGD lr 0.8 without gradient clipping",
           complaint="Training my LSTM on 30 years of monthly pension contributions blows up in the "
                     "first epoch: the MSE goes 2.4, 9, 3600, 3 million and is NaN from step 18, "
                     "and the logged gradient norm went from 3 to 8e14. Validation MSE is NaN "
                     "for all 8 epochs. Inputs and targets are standardised.")


if __name__ == "__main__":
    main()
