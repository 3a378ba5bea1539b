"""RealNVP-style normalising flow on 2-D "two moons" points (a density model for sensor pairs):
6 affine coupling layers alternating which coordinate is transformed, each with a scale net
(tanh-bounded) and a shift net (MLP 1-64-64-1), standard normal base, exact NLL. Adam 1e-3 with
the author's parameter groups: weight decay 1e-4 on the scale nets only "to keep the scales
small". BUG: the list of groups only ever got the scale nets; the shift nets were meant to go
in a second group without weight decay and never did, so they keep their random init. Batch
256, 40 epochs over 4000 points; CSV log of train / val NLL (nats per point)."""
import csv
import math

import torch
import torch.nn as nn


def moons(n, g):
    t = math.pi * torch.rand(n, generator=g)
    upper = torch.rand(n, generator=g) < 0.5
    x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
    y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
    pts = torch.stack([x, y], 1) + 0.06 * torch.randn(n, 2, generator=g)
    return (pts - torch.tensor([0.5, 0.25])) / torch.tensor([0.87, 0.5])


def mlp():
    return nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


class Flow(nn.Module):
    def __init__(self, layers=6):
        super().__init__()
        self.scale_nets = nn.ModuleList(mlp() for _ in range(layers))
        self.shift_nets = nn.ModuleList(mlp() for _ in range(layers))

    def forward(self, x):
        """Returns z and log|det dz/dx|."""
        logdet = torch.zeros(len(x))
        for i, (s_net, t_net) in enumerate(zip(self.scale_nets, self.shift_nets, strict=True)):
            a, b = (x[:, :1], x[:, 1:]) if i % 2 == 0 else (x[:, 1:], x[:, :1])
            s = torch.tanh(s_net(a))
            b = b * s.exp() + t_net(a)
            logdet = logdet + s.squeeze(1)
            x = torch.cat([a, b], 1) if i % 2 == 0 else torch.cat([b, a], 1)
        return x, logdet


def nll(model, x):
    z, logdet = model(x)
    return (0.5 * (z ** 2).sum(1) + math.log(2 * math.pi) - logdet).mean()


def build():
    torch.manual_seed(0)
    return Flow()


def main():
    from _fourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = moons(5000, g)
    tx, vx = x[:4000], x[4000:]
    model = build()
    groups = [{"params": model.scale_nets.parameters(), "weight_decay": 1e-4}]
    # TODO shift nets in their own group, no weight decay
    opt = torch.optim.Adam(groups, lr=1e-3)
    log = open(out / "flow_nll.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_nll", "val_nll"])
    for epoch in range(40):
        tot = 0.0
        for idx in torch.randperm(4000, generator=g).split(256):
            loss = nll(model, tx[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        with torch.no_grad():
            vl = nll(model, vx).item()
        w.writerow([epoch, round(tot / 4000, 4), round(vl, 4)])
        print(epoch, round(tot / 4000, 4), round(vl, 4))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "flow.pt")
    finish(out, __file__, (vx[:256], torch.zeros(256)), causes=["params_not_in_optimizer"],
           checkpoint="flow.pt", log="flow_nll.csv",
           what="RealNVP flow whose Adam parameter groups hold only the scale nets",
           complaint="my normalising flow on the two-moons sensor data plateaus at a much "
                     "higher NLL than the RealNVP examples, and samples look like a blurry blob")


if __name__ == "__main__":
    main()
