"""Physics-informed network for the 1-D heat equation u_t = 0.1 u_xx on x in [0, 1], t in
[0, 1], u(x, 0) = sin(pi x) + 0.25 sin(2 pi x), u(0, t) = u(1, t) = 0 (a cooling rod; the exact
solution is a sum of two decaying sine modes). An MLP (x, t) -> u, 3 tanh layers of 32; the
loss is the PDE residual from autograd (u_t and u_xx) on 256 fresh collocation points per step
plus the boundary and initial terms on 64 points each. Adam, 1200 steps, a CSV log every 20
steps (``it``, ``loss``, ``pde``, ``bc``, ``ic``, ``rel_l2`` against the exact solution on a
41 x 41 grid).
Bug: ``LR = 1e-5`` (the author copied the fine-tuning lr of an older script; 1e-3 was meant):
after 1200 steps the loss has barely moved and the relative L2 error is still about 1."""
import csv
import math

import torch
import torch.nn as nn

ALPHA = 0.1
LR = 1e-5


def exact(x, t):
    return (torch.exp(-ALPHA * math.pi ** 2 * t) * torch.sin(math.pi * x)
            + 0.25 * torch.exp(-ALPHA * 4 * math.pi ** 2 * t) * torch.sin(2 * math.pi * x))


class HeatNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, width),
                                 nn.Tanh(), nn.Linear(width, width), nn.Tanh(),
                                 nn.Linear(width, 1))

    def forward(self, xt):
        return self.net(xt).squeeze(-1)


def build():
    torch.manual_seed(0)
    return HeatNet()


def residual(model, xt):
    xt = xt.clone().requires_grad_(True)
    u = model(xt)
    du = torch.autograd.grad(u.sum(), xt, create_graph=True)[0]
    u_x, u_t = du[:, 0], du[:, 1]
    u_xx = torch.autograd.grad(u_x.sum(), xt, create_graph=True)[0][:, 0]
    return u_t - ALPHA * u_xx


def main():
    from _fortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    gx, gt = torch.meshgrid(torch.linspace(0, 1, 41), torch.linspace(0, 1, 41), indexing="ij")
    grid = torch.stack([gx.flatten(), gt.flatten()], 1)
    u_true = exact(grid[:, 0], grid[:, 1])
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    f = open(out / "pinn_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["it", "loss", "pde", "bc", "ic", "rel_l2"])
    for it in range(1, 1201):
        col = torch.rand(256, 2, generator=g)
        tb = torch.rand(64, generator=g)
        side = (torch.rand(64, generator=g) < 0.5).float()
        xi = torch.rand(64, generator=g)
        pde = residual(model, col).pow(2).mean()
        bc = model(torch.stack([side, tb], 1)).pow(2).mean()
        t0 = torch.zeros(64)
        ic = (model(torch.stack([xi, t0], 1)) - exact(xi, t0)).pow(2).mean()
        loss = pde + 10 * bc + 10 * ic
        opt.zero_grad()
        loss.backward()
        opt.step()
        if it % 20 == 0:
            with torch.no_grad():
                rel = ((model(grid) - u_true).norm() / u_true.norm()).item()
            w.writerow([it, f"{loss.item():.6g}", f"{pde.item():.6g}", f"{bc.item():.6g}",
                        f"{ic.item():.6g}", f"{rel:.5f}"])
            if it % 200 == 0:
                print(it, round(loss.item(), 5), round(rel, 4))
    f.close()
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "iteration": it,
                "alpha": ALPHA}, out / "heat_pinn.pt")
    idx = torch.randperm(len(grid), generator=g)[:128]
    finish(out, __file__, (grid[idx], u_true[idx]), causes=["lr_too_low"],
           checkpoint="heat_pinn.pt", log="pinn_log.csv",
           what="PINN for the 1-D heat equation, Adam LR = 1e-5 (1e-3 meant)",
           complaint="the heat-equation PINN does not converge: after 1200 steps the "
                     "prediction is still far from the analytic solution and the loss "
                     "curve is almost flat")


if __name__ == "__main__":
    main()
