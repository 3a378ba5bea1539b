"""Plain torch: a GRU gives a clog-maker the moisture content of a drying stack of clog soles,
day by day, from what the workshop can measure without cutting a sole: the stack's weight on
a platform scale (as a share of its weight on day 0), the shed's air temperature and relative
humidity. Alder and sycamore soles are roughed out green (moisture 45-95 % of dry weight) and
stacked in an open shed for 40 days; each day the wood moves towards the equilibrium moisture
content of that day's air (about 5-22 %, from a Hailwood-Horrobin-like curve in humidity and
temperature) with a time constant of 8-20 days (sole thickness, how open the stack is).
The scale reads to ±0.3 %. Because the green moisture is unknown, the net has to read it off
the shape of the weight curve against the weather.
Input: (40, 3) per day (weight ratio - 1, (°C - 12) / 8, RH - 0.7); target per day
(MC % - 40) / 25. Model: GRU 3→48, 1 layer, Linear 48→1 on every day (per-step regression);
MSE, Adam 3e-3 with ReduceLROnPlateau on the val MSE (×0.5, patience 2), gradient clipping at
1.0, batch 40, 24 epochs, 640 stacks, validation on 160.
Healthy; numbers in the README.
Log: a TSV per epoch ``stack_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_mc_pct`` / ``val_mae_mc_last_day``); checkpoint ``soles_gru.pth`` with keys
``gru_state`` / ``opt_state`` / ``plateau_state`` / ``epoch`` / ``mc_center`` / ``mc_scale``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

DAYS = 40


def stacks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mc0 = 45 + 50 * r(n, 1)
    tau = 8 + 12 * r(n, 1)
    day = torch.arange(DAYS).float()
    temp = 12 + 6 * torch.sin(2 * torch.pi * (day / 60 + r(n, 1))) \
        + 2.5 * torch.randn(n, DAYS, generator=g)
    rh = (0.72 + 0.1 * torch.sin(2 * torch.pi * (day / 9 + r(n, 1)))
          + 0.08 * torch.randn(n, DAYS, generator=g)).clamp(0.35, 0.98)
    emc = 100 * (0.075 * rh / (1 - 0.93 * rh)) * (1.08 - 0.006 * temp) + 1.0
    mc = torch.empty(n, DAYS)
    m = mc0.squeeze(1)
    for d in range(DAYS):
        mc[:, d] = m
        m = m + (emc[:, d] - m) / tau.squeeze(1)
    ratio = (1 + mc / 100) / (1 + mc0 / 100)
    ratio = ratio + 0.003 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([ratio - 1, (temp - 12) / 8, rh - 0.7], 2)
    return x, ((mc - 40) / 25).unsqueeze(2)


class SoleGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return SoleGRU()


def main():
    from _threehundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(11)
    xtr, ytr = stacks(640, g)
    xva, yva = stacks(160, g)
    print("target var", ytr.var().item(), "mc range", (ytr * 25 + 40).min().item(),
          (ytr * 25 + 40).max().item())
    torch.manual_seed(11)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "stack_fit.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_mc_pct\tval_mae_mc_last_day\n")
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            val = nn.functional.mse_loss(pv, yva).item()
            mae = ((pv - yva).abs() * 25).mean().item()
            mae_last = ((pv[:, -1] - yva[:, -1]).abs() * 25).mean().item()
            lr = opt.param_groups[0]["lr"]
            plateau.step(val)
            f.write(f"{epoch}\t{lr:.6g}\t{tot / len(xtr):.6f}\t{val:.6f}\t{mae:.4f}"
                    f"\t{mae_last:.4f}\n")
            print(epoch, lr, round(tot / len(xtr), 5), round(val, 5), round(mae, 3),
                  round(mae_last, 3))
    torch.save({"gru_state": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "epoch": 24, "mc_center": 40.0,
                "mc_scale": 25.0}, out / "soles_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="soles_gru.pth", log="stack_fit.tsv",
           what="GRU giving the day-by-day moisture content of a clog-maker's drying stack of"
                " soles from scale weight and shed weather (healthy)")


if __name__ == "__main__":
    main()
