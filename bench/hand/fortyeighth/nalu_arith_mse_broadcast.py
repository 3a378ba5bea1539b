"""Neural arithmetic logic units (Trask et al. 2018) written by hand: from 10 positive input
quantities, learn y = a · b with a = x0 + x1 + x2 and b = x5 + x6 (a sum in the first layer,
a product in the second). A NAC layer (10 → 2, W x with W = tanh(W_hat) · sigmoid(M_hat))
then a NALU (2 → 1: gate sigmoid(G x) between the NAC add path and the multiply path
exp(W log(|x| + eps))). Inputs
uniform in [0.1, 2] for training (4000 rows) and interpolation checks, [2, 4] for the
extrapolation test; Adam 1e-2, batch 64, 3000 steps; the log is a CSV every 50 steps (train
MSE, interpolation MSE, extrapolation MSE and relative error).
Bug: the model returns shape (batch, 1) and the targets are (batch,); ``F.mse_loss(pred, y)``
broadcasts them to (batch, batch) (PyTorch only warns), so the loss compares every prediction
with every target and is minimised by predicting the batch mean for all rows."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

IN = 10


class NALU(nn.Module):
    def __init__(self, fin, fout, eps=1e-7):
        super().__init__()
        self.W_hat = nn.Parameter(torch.empty(fout, fin))
        self.M_hat = nn.Parameter(torch.empty(fout, fin))
        self.G = nn.Parameter(torch.empty(fout, fin))
        for p in (self.W_hat, self.M_hat, self.G):
            nn.init.xavier_uniform_(p)
        self.eps = eps

    def forward(self, x):
        W = torch.tanh(self.W_hat) * torch.sigmoid(self.M_hat)
        add = x @ W.T
        mul = torch.exp(torch.log(x.abs() + self.eps) @ W.T)
        gate = torch.sigmoid(x @ self.G.T)
        return gate * add + (1 - gate) * mul


class NAC(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.W_hat = nn.Parameter(torch.empty(fout, fin))
        self.M_hat = nn.Parameter(torch.empty(fout, fin))
        nn.init.xavier_uniform_(self.W_hat)
        nn.init.xavier_uniform_(self.M_hat)

    def forward(self, x):
        return x @ (torch.tanh(self.W_hat) * torch.sigmoid(self.M_hat)).T


class ArithNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = NAC(IN, 2), NALU(2, 1)

    def forward(self, x):
        return self.l2(self.l1(x))


def build():
    torch.manual_seed(4)  # NALU is seed-sensitive: this init learns the product
    return ArithNet()


def quantities(n, lo, hi, g):
    x = lo + (hi - lo) * torch.rand(n, IN, generator=g)
    return x, (x[:, 0] + x[:, 1] + x[:, 2]) * (x[:, 5] + x[:, 6])


def main():
    from _fortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = quantities(4000, 0.1, 2.0, g)
    xin, yin = quantities(1000, 0.1, 2.0, g)
    xex, yex = quantities(1000, 2.0, 4.0, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    with open(out / "nalu_metrics.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["iteration", "train_mse", "interp_mse", "extrap_mse", "extrap_rel_err"])
        run = 0.0
        for it in range(1, 3001):
            idx = torch.randint(0, 4000, (64,), generator=g)
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            run += loss.item()
            if it % 50 == 0:
                with torch.no_grad():
                    pi, pe = model(xin).squeeze(1), model(xex).squeeze(1)
                    row = [it, round(run / 50, 5), round(F.mse_loss(pi, yin).item(), 5),
                           round(F.mse_loss(pe, yex).item(), 4),
                           round(((pe - yex).abs() / yex).mean().item(), 4)]
                w.writerow(row)
                run = 0.0
                if it % 500 == 0:
                    print(row)
    torch.save({"nalu": model.state_dict(), "opt": opt.state_dict(), "iteration": it},
               out / "nalu_final.pt")
    finish(out, __file__, (xin[:64], yin[:64]), causes=["loss_input_wrong"],
           checkpoint="nalu_final.pt", log="nalu_metrics.csv",
           what="hand-written NALU, a·b of input sums; MSE between (B,1) and (B,) broadcast",
           complaint="the NALU never learns the product: train MSE stalls around 10, and on "
                     "the extrapolation range it is off by about 70 %, every input gives "
                     "nearly the same answer")


if __name__ == "__main__":
    main()
