"""Plain torch: a small residual CNN with batch norm counts the market-size geoducks (whole
weight over 1 kg) in a 6 × 6 m intertidal plot from the dive team's siphon-show survey, so
the farm can book the harvest crew. A plot is mapped on a 24 × 24 grid of 25 cm cells, two
channels: the show map (a siphon seen at the surface at low slack water leaves a blob whose
size follows the siphon diameter, i.e. the clam's weight) and the sediment map (mud share,
0-1, in patches). A geoduck only shows when it is feeding, 85 % of the time in clean sand
and 40 % in mud, so the count the net must give is more than the shows it sees, more so in
muddy plots; small clams (under 1 kg, smaller blobs) are not counted. Diver scatter: the
show map carries 0.1 of noise and a few shells or worm casts that look like small shows.
Input: (2, 24, 24). Conv 2→16 3×3-BN-ReLU, a residual block (two 3×3 16→16 convs with BN),
MaxPool 2, Conv 16→32 3×3-BN-ReLU, global average pool, Linear 32→16-ReLU→1; target
count / 10, MSE, SGD 0.05 momentum 0.9 nesterov with OneCycleLR, batch 48, 12 epochs,
1200 plots, validation on 300.
Healthy; numbers in the README.
Log: CSV every 8 steps ``plot_steps.csv`` (``step`` / ``lr`` / ``mse``) and a CSV per epoch
``plot_val.csv`` (``epoch`` / ``val_mse`` / ``val_mae_clams`` / ``val_bias_clams``, named as
the log in the truth); checkpoint ``plot_rescnn.pth`` with keys ``net`` / ``optim`` /
``sched`` / ``epoch`` / ``count_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 24


def plots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    mud = torch.zeros(n, S, S)
    for _ in range(3):
        cy, cx, rad = S * r(n, 1, 1), S * r(n, 1, 1), 4 + 8 * r(n, 1, 1)
        mud = mud + torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / rad ** 2)
    mud = (mud * (0.3 + 0.7 * r(n, 1, 1))).clamp(0, 1)
    shows = torch.zeros(n, S, S)
    count = torch.zeros(n)
    dens = 10 + 40 * r(n)
    for i in range(n):
        k = int(dens[i])
        pos = torch.randint(0, S, (k, 2), generator=g)
        wt = 0.4 + 1.4 * r(k)
        m = mud[i, pos[:, 0], pos[:, 1]]
        seen = r(k) < 0.85 - 0.45 * m
        count[i] = (wt > 1.0).sum()
        py, px = pos[seen, 0, None, None].float(), pos[seen, 1, None, None].float()
        rad = 0.5 + 0.8 * wt[seen, None, None]
        shows[i] = torch.exp(-((yy - py) ** 2 + (xx - px) ** 2) / rad ** 2).sum(0)
        for _ in range(int(4 * r(1))):
            py, px = torch.randint(0, S, (2,), generator=g).tolist()
            shows[i] += 0.6 * torch.exp(-((yy - py) ** 2 + (xx - px) ** 2) / 0.5)
    shows = shows + 0.1 * torch.randn(n, S, S, generator=g)
    return torch.stack([shows, mud], 1), (count / 10).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c),
                               nn.ReLU(), nn.Conv2d(c, c, 3, padding=1, bias=False),
                               nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.a(x))


class PlotCounter(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(2, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            Block(16), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return PlotCounter()


def main():
    from _twohundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = plots(1200, g)
    xva, yva = plots(300, g)
    print("count/10", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=12 * len(loader))
    steps = open(out / "plot_steps.csv", "w")
    steps.write("step,lr,mse\n")
    val = open(out / "plot_val.csv", "w")
    val.write("epoch,val_mse,val_mae_clams,val_bias_clams\n")
    step = 0
    for epoch in range(12):
        model.train()
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 8 == 0:
                steps.write(f"{step},{sched.get_last_lr()[0]:.6f},{loss.item():.5f}\n")
            sched.step()
            step += 1
        model.eval()
        with torch.no_grad():
            p = model(xva)
        mse = F.mse_loss(p, yva).item()
        mae = (p - yva).abs().mean().item() * 10
        bias = (p - yva).mean().item() * 10
        val.write(f"{epoch},{mse:.5f},{mae:.3f},{bias:.3f}\n")
        print(epoch, round(mse, 5), round(mae, 3), round(bias, 3))
    steps.close()
    val.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 12, "count_scale": 10.0},
               out / "plot_rescnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="plot_rescnn.pth", log="plot_val.csv",
           what="residual CNN with batch norm counting market-size geoducks in a plot from a"
                " siphon-show survey (healthy)")


if __name__ == "__main__":
    main()
