"""Plain torch: a residual MLP predicts a decathlete's final points total from the five
day-one results, so a coach can tell overnight whether the qualifying standard is in reach
and plan the pole-vault opening height. Day one: 100 m (s), long jump (m), shot put (m),
high jump (m), 400 m (s). Each athlete has four hidden abilities (speed, power, spring,
endurance) plus technique; every event's mark follows from them, the points come from the
World Athletics tables (track A (B - T)^C, field A (M - B)^C with the official constants),
and day two (110 m hurdles, discus, pole vault, javelin, 1500 m) follows the same
abilities, with a 4 % chance of a no-height in the vault (0 points). Input: (5,) day-one
marks standardised with the train mean / std. Target: (total - 7000) / 800.
Model: linear 5→64, three residual blocks (LayerNorm → 64→128→GELU→64, added back),
linear 64→1; Huber loss (delta 1), SGD momentum 0.9 Nesterov with OneCycleLR (max 0.05),
batch 32, 14 epochs, 3000 athletes, validation on 800.
Healthy; numbers in the README. Day two is only partly written in day one, so the loss
flattens after two epochs; val Huber sits below train, the val MAE in points wobbles.
Log: TSV per epoch ``overnight.tsv`` (``epoch`` / ``lr`` / ``huber`` / ``val_huber`` /
``val_mae_pts``); checkpoint ``overnight_resmlp.pt`` with keys ``net_state`` /
``opt_state`` / ``sched_state`` / ``epoch`` / ``mark_mean`` / ``mark_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

# (A, B, C, track?) World Athletics decathlon tables; jumps in cm, throws in m
TABLE = {"100": (25.4347, 18, 1.81, True), "lj": (0.14354, 220, 1.4, False),
         "sp": (51.39, 1.5, 1.05, False), "hj": (0.8465, 75, 1.42, False),
         "400": (1.53775, 82, 1.81, True), "110h": (5.74352, 28.5, 1.92, True),
         "dt": (12.91, 4, 1.1, False), "pv": (0.2797, 100, 1.35, False),
         "jt": (10.14, 7, 1.08, False), "1500": (0.03768, 480, 1.85, True)}


def points(ev, mark):
    a, b, c, track = TABLE[ev]
    d = (b - mark) if track else (mark - b)
    return torch.floor(a * d.clamp(min=0) ** c)


def athletes(n, g):
    z = lambda: torch.randn(n, generator=g)  # noqa: E731
    speed, power, spring, endur, tech = z(), z(), z(), z(), z()
    m = {"100": 11.0 - 0.25 * speed + 0.08 * z(), "lj": 7.1 + 0.25 * speed + 0.15 * spring + 0.1 * z(),
         "sp": 14.0 + 1.0 * power + 0.4 * z(), "hj": 1.98 + 0.06 * spring + 0.03 * tech + 0.03 * z(),
         "400": 49.5 - 0.6 * speed - 0.5 * endur + 0.3 * z(),
         "110h": 14.7 - 0.25 * speed - 0.2 * tech + 0.15 * z(),
         "dt": 43.0 + 3.0 * power + 1.5 * tech + 2 * z(),
         "pv": 4.7 + 0.15 * speed + 0.15 * tech + 0.1 * spring + 0.12 * z(),
         "jt": 60.0 + 4.0 * power + 2.0 * tech + 3 * z(),
         "1500": 275 - 8 * endur + 3 * power + 4 * z()}
    cm = {"lj", "hj", "pv"}
    pts = {ev: points(ev, m[ev] * (100 if ev in cm else 1)) for ev in m}
    nh = torch.rand(n, generator=g) < 0.04
    pts["pv"] = torch.where(nh, torch.zeros(n), pts["pv"])
    total = sum(pts.values())
    x = torch.stack([m[ev] for ev in ["100", "lj", "sp", "hj", "400"]], 1)
    return x, ((total - 7000) / 800).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, h):
        return h + self.ff(self.norm(h))


class Overnight(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(5, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return Overnight()


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = athletes(3000, g)
    rva, yva = athletes(800, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("total pts", (7000 + 800 * ytr).mean().item(), (800 * ytr).std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=14 * len(dl))
    with open(out / "overnight.tsv", "w") as log:
        log.write("epoch\tlr\thuber\tval_huber\tval_mae_pts\n")
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.huber_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vh, mae = F.huber_loss(p, yva).item(), 800 * (p - yva).abs().mean().item()
            log.write(f"{epoch}\t{sched.get_last_lr()[0]:.6g}\t{tot / len(xtr):.6g}\t{vh:.6g}"
                      f"\t{mae:.5g}\n")
            print(epoch, tot / len(xtr), vh, mae)
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 14, "mark_mean": mean,
                "mark_std": std}, out / "overnight_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="overnight_resmlp.pt", log="overnight.tsv",
           what="residual MLP predicting a decathlete's final points total from the five"
                " day-one results (healthy)")


if __name__ == "__main__":
    main()
