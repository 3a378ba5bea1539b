"""Plain torch: a GRU predicts how many minutes a snowshoeing party needs for each 200 m
segment of a winter ascent, from a per-segment sequence of 5 numbers the group's GPS watch and
the route planner give (slope in %, fresh snow depth, sink depth of the
snowshoe, party size, whether the leader is breaking trail). Minutes per segment follow a
Naismith-style rule with a snow penalty that grows with sink depth and trail breaking, and a
fatigue term that builds up over the ascent (so the GRU needs the history), plus 0.3 min noise.
GRU(5→32) → Linear 1 per step, Adam 3e-3 with OneCycleLR, gradient clipping at 1.0, batch 24,
18 epochs of 600 ascents of 24 segments, validation on 150 ascents.
Healthy: numbers in the README (val loss close to the step loss, flat over the last epochs). Log: a CSV per step
(``step`` / ``epoch`` / ``lr`` / ``mse``) and a separate ``valid.csv`` per epoch (``epoch`` /
``val_mse`` / ``val_mae_min``); checkpoint keys ``gru`` / ``adam`` / ``sched`` / ``epoch``."""
import csv

import torch
import torch.nn as nn

SEG = 24


def ascents(n, g):
    slope = (8 + 25 * torch.rand(n, 1, generator=g) + 6 * torch.randn(n, SEG, generator=g)).clamp(0)
    depth = (30 * torch.rand(n, 1, generator=g) + 8 * torch.randn(n, SEG, generator=g)).clamp(0)
    sink = depth * (0.2 + 0.3 * torch.rand(n, SEG, generator=g))
    party = torch.randint(2, 9, (n, 1), generator=g).float().expand(n, SEG)
    lead = (torch.rand(n, SEG, generator=g) < 0.5).float()
    base = 2.4 + 0.12 * slope
    snow = 0.06 * sink * (1 + 0.8 * lead)
    fatigue = 0.02 * torch.cumsum(base + snow, 1) / (1 + 0.05 * party)
    minutes = base + snow + fatigue + 0.3 * torch.randn(n, SEG, generator=g)
    x = torch.stack([slope / 20, depth / 20, sink / 10, party / 5, lead], -1)
    return x, (minutes - 6) / 3


class Pace(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return Pace()


def main():
    from _twohundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ascents(600, g)
    xva, yva = ascents(150, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=24, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=18 * len(loader))
    step = 0
    with open(out / "steps.csv", "w", newline="") as fs, open(out / "valid.csv", "w",
                                                              newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        ws.writerow(["step", "epoch", "lr", "mse"])
        wv.writerow(["epoch", "val_mse", "val_mae_min"])
        for epoch in range(18):
            model.train()
            for xb, yb in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                step += 1
                ws.writerow([step, epoch, f"{sched.get_last_lr()[0]:.6f}", f"{loss.item():.5f}"])
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            row = [epoch, f"{nn.functional.mse_loss(pv, yva).item():.5f}",
                   f"{(3 * (pv - yva)).abs().mean().item():.4f}"]
            wv.writerow(row)
            print(row, f"{loss.item():.5f}")
    torch.save({"gru": model.state_dict(), "adam": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 18}, out / "ascent_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="ascent_gru.pt",
           log="steps.csv",
           what="GRU regressing per-segment minutes of a snowshoeing ascent (healthy)")


if __name__ == "__main__":
    main()
