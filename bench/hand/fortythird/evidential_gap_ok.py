"""Evidential deep regression (Amini et al.): an MLP outputs the four Normal-Inverse-Gamma
parameters (gamma, nu, alpha, beta) for a 1-D curve y = sin(1.5 x) + 0.3 x with noise whose
std grows from 0.05 to 0.25 along x. Training x is drawn from [-4, -1.2] and [1.2, 4] (a gap in
the middle, where the epistemic variance beta / (nu (alpha - 1)) should grow); validation
comes from the same two pieces. MLP 1-64-64-4 (tanh), softplus heads, NIG negative log
likelihood plus 0.01 * |y - gamma| * (2 nu + alpha), Adam 3e-3, batch 128, 40 epochs. The log
is a CSV with columns epoch, nig_nll, evid_reg, val_nig_nll, val_rmse. Healthy, if odd
looking: the NLL goes negative (a density, not a probability), the val NLL wobbles around
the train NLL (about -0.5 at the end), and the val RMSE levels at 0.16-0.17, the noise in
the data (std 0.05-0.25 along x)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LAM = 0.01


def curve(n, g):
    side = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    x = side * (1.2 + 2.8 * torch.rand(n, generator=g))
    std = 0.05 + 0.2 * (x + 4) / 8
    y = torch.sin(1.5 * x) + 0.3 * x + std * torch.randn(n, generator=g)
    return x[:, None], y[:, None]


class EvidentialNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        gamma, nu, alpha, beta = self.head(self.body(x)).unbind(-1)
        return torch.stack([gamma, F.softplus(nu) + 1e-4, F.softplus(alpha) + 1.0 + 1e-4,
                            F.softplus(beta) + 1e-4], -1)


def nig_loss(out, y):
    gamma, nu, alpha, beta = out.unbind(-1)
    y = y.squeeze(-1)
    omega = 2 * beta * (1 + nu)
    nll = (0.5 * torch.log(math.pi / nu) - alpha * torch.log(omega)
           + (alpha + 0.5) * torch.log(nu * (y - gamma) ** 2 + omega)
           + torch.lgamma(alpha) - torch.lgamma(alpha + 0.5))
    reg = (y - gamma).abs() * (2 * nu + alpha)
    return nll.mean(), reg.mean()


def build():
    torch.manual_seed(0)
    return EvidentialNet()


def main():
    from _fortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx, ty = curve(2000, g)
    vx, vy = curve(500, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    f = open(out / "evidential_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "nig_nll", "evid_reg", "val_nig_nll", "val_rmse"])
    for epoch in range(40):
        net.train()
        tot = [0.0, 0.0, 0]
        for idx in torch.randperm(2000, generator=g).split(128):
            nll, reg = nig_loss(net(tx[idx]), ty[idx])
            loss = nll + LAM * reg
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot[0] += nll.item() * len(idx)
            tot[1] += reg.item() * len(idx)
            tot[2] += len(idx)
        net.eval()
        with torch.no_grad():
            o = net(vx)
            vnll, _ = nig_loss(o, vy)
            rmse = (o[:, 0:1] - vy).pow(2).mean().sqrt().item()
        w.writerow([epoch, round(tot[0] / tot[2], 4), round(tot[1] / tot[2], 4),
                    round(vnll.item(), 4), round(rmse, 4)])
        print(epoch, round(tot[0] / tot[2], 4), round(vnll.item(), 4), round(rmse, 4))
    f.close()
    with torch.no_grad():
        gx = torch.tensor([[-3.0], [0.0], [3.0]])
        o = net(gx)
        print("epistemic var at -3, 0, 3:", (o[:, 3] / (o[:, 1] * (o[:, 2] - 1))).tolist())
    torch.save({"net": net.state_dict(), "adam": opt.state_dict(), "epoch": epoch,
                "lam": LAM}, out / "evidential.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="evidential.pth",
           log="evidential_log.csv",
           what="evidential NIG regression on a 1-D curve with a gap in x (healthy)")


if __name__ == "__main__":
    main()
