"""Plain torch: a GRU reads a bunkering transfer minute by minute from the barge's pump panel
(30 minutes, 4 channels: pump rpm, manifold valve opening, fuel temperature at the meter,
back-pressure at the ship's manifold) and predicts the tonnes delivered. Volume flow is a pump
curve in rpm times the valve opening, cut back when back-pressure rises above 4 bar (the ship's
tank vents are choking); mass is volume times a density that falls with temperature
(0.991 t/m3 at 15 C, -0.00064 per C). Target in tonnes plus 0.5 t of meter noise,
standardised with the training mean/std. GRU(4 → 48) on standardised channels, last hidden
state → Linear(48, 1), MSE, Adam 4e-3 with CosineAnnealingLR stepped per epoch, gradient
clipping at 1.0, batch 32, 20 epochs of 960 transfers, validation on 192.
Healthy; numbers in the README. Log: ``history.csv`` per epoch (``epoch`` / ``train_mse`` /
``val_mse`` / ``val_mae_t`` / ``lr``); checkpoint ``bunker_gru.pt`` with ``gru_state`` /
``adam`` / ``cosine`` / ``epoch``."""
import torch
import torch.nn as nn

T = 30
MU = torch.tensor([900.0, 0.6, 45.0, 3.0])
SD = torch.tensor([250.0, 0.25, 12.0, 1.2])


def transfers(n, g):
    rpm = 500 + 800 * torch.rand(n, 1, generator=g) + 60 * torch.randn(n, T, generator=g)
    valve = (0.2 + 0.8 * torch.rand(n, 1, generator=g)
             + 0.05 * torch.randn(n, T, generator=g)).clamp(0.05, 1)
    temp = 30 + 30 * torch.rand(n, 1, generator=g) + torch.randn(n, T, generator=g)
    bp = (1.5 + 3.5 * torch.rand(n, 1, generator=g) * torch.linspace(0, 1, T)
          + 0.2 * torch.randn(n, T, generator=g))
    flow = 0.004 * rpm * (1 - (rpm / 2000) ** 2) * valve          # m3/min
    flow = flow * torch.where(bp > 4, 1 - 0.4 * (bp - 4), torch.ones_like(bp)).clamp(min=0.2)
    rho = 0.991 - 0.00064 * (temp - 15)
    tonnes = (flow * rho).sum(1) + 0.5 * torch.randn(n, generator=g)
    return torch.stack([rpm, valve, temp, bp], -1), tonnes


class BunkerGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        _, h = self.gru((x - MU) / SD)
        return self.out(h[-1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return BunkerGRU()


def main():
    from _twohundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ttr = transfers(960, g)
    xva, tva = transfers(192, g)
    mu, sd = ttr.mean(), ttr.std()
    print("tonnes mean/std", mu.item(), sd.item())
    ytr, yva = (ttr - mu) / sd, (tva - mu) / sd
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=4e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    with open(out / "history.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_mae_t,lr\n")
        for epoch in range(20):
            net.train()
            s = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(net(xb), yb)
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                s += loss.item() * len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            net.eval()
            with torch.no_grad():
                p = net(xva)
            vm = nn.functional.mse_loss(p, yva).item()
            mae = ((p - yva).abs().mean() * sd).item()
            line = f"{epoch},{s / len(ytr):.5f},{vm:.5f},{mae:.4f},{lr:.6f}"
            f.write(line + "\n")
            print(line)
    torch.save({"gru_state": net.state_dict(), "adam": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 20}, out / "bunker_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bunker_gru.pt", log="history.csv",
           what="GRU regressing tonnes delivered in a bunkering transfer from the barge pump"
                " panel (healthy)")


if __name__ == "__main__":
    main()
