"""House-price regression on log1p(price): standardised features, MLP, MSE on the log target,
Adam with ReduceLROnPlateau (healthy)."""
import csv

import torch
import torch.nn as nn


def houses(n, g):
    area = 40 + 160 * torch.rand(n, generator=g)
    rooms = torch.randint(1, 7, (n,), generator=g).float()
    age = 100 * torch.rand(n, generator=g)
    dist = 30 * torch.rand(n, generator=g)
    log_p = 10 + 0.012 * area + 0.08 * rooms - 0.004 * age - 0.03 * dist
    price = torch.exp(log_p + 0.1 * torch.randn(n, generator=g))
    return torch.stack([area, rooms, age, dist], 1), price


class PriceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return PriceNet()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, price = houses(3000, g)
    vx, vprice = houses(500, g)
    mu, sd = x.mean(0), x.std(0)
    x, vx = (x - mu) / sd, (vx - mu) / sd
    y, vy = torch.log1p(price), torch.log1p(vprice)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    loss_fn = nn.MSELoss()
    with open(out / "log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "lr"])
        for epoch in range(25):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            total = 0.0
            for i in range(0, len(x), 64):
                b = perm[i:i + 64]
                loss = loss_fn(model(x[b]), y[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(b)
            model.eval()
            with torch.no_grad():
                val = loss_fn(model(vx), vy).item()
            sched.step(val)
            w.writerow([epoch, total / len(x), val, opt.param_groups[0]["lr"]])
    print("val mse on log price", val, "target var", vy.var().item())
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict()},
               out / "price.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="price.pt", log="log.csv",
           what="MLP regression on log1p(price), standardised inputs: healthy")


if __name__ == "__main__":
    main()
