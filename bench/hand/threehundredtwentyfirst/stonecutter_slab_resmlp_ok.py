"""Plain torch: a residual MLP predicts how long a bridge saw takes to cut a granite slab
(minutes), so the stonecutter's yard can plan the saw's shift. 8 inputs: cut length (m),
cut depth (cm), stone hardness (Mohs, 5.5-7), quartz content (%), blade diameter (mm),
segment wear (% of the diamond segment used), cooling water flow (L/min), spindle power
(kW). The cut rate follows the saw maker's rule: power over hardness squared, slowed by
quartz and worn segments, and by too little water (the segments glaze); a bigger blade
runs at lower rpm; ± 6 % from the stone's grain (not known). Target: log(minutes) - 3,
inputs standardised with the train mean / std.
Model: 8→64, then 3 residual blocks (LayerNorm → Linear 64→64 → GELU → Linear), LayerNorm →
1. MSE, Adam 2e-3 with CosineAnnealingLR over 16 epochs, batch 64, 3000 cuts, validation
on 600.
Healthy; numbers in the README.
Log: JSON lines per epoch ``saw_log.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mape_pct``); checkpoint ``bridgesaw.pt`` with keys ``net`` /
``optimizer`` / ``scheduler`` / ``epoch`` / ``x_mean`` / ``x_std``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def cuts(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    length = 1 + 2 * r()
    depth = 2 + 6 * r()
    hard = 5.5 + 1.5 * r()
    quartz = 5 + 40 * r()
    blade = 350 + 300 * r()
    wear = 90 * r()
    water = 10 + 30 * r()
    power = 7.5 + 15 * r()
    rate = 2.0 * power / (hard / 6) ** 2 / (1 + quartz / 60) * (1 - 0.4 * wear / 90)
    rate = rate * (1 - 0.3 * torch.exp(-(water - 10) / 6)) * (500 / blade) ** 0.3
    minutes = length * depth * 10 / rate * (1 + 0.06 * torch.randn(n, generator=g))
    x = torch.stack([length, depth, hard, quartz, blade, wear, water, power], 1)
    return x, (minutes.log() - 3).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.GELU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), *[Block(64) for _ in range(3)], nn.LayerNorm(64),
                         nn.Linear(64, 1))


def main():
    from _threehundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = cuts(3000, g)
    rva, yva = cuts(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)
    with open(out / "saw_log.jsonl", "w") as f:
        for epoch in range(16):
            net.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            net.eval()
            with torch.no_grad():
                p = net(xva)
            rec = {"epoch": epoch, "lr": round(lr, 7), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(nn.functional.mse_loss(p, yva).item(), 6),
                   "val_mape_pct": round(100 * ((p - yva).exp() - 1).abs().mean().item(), 3)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": net.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 16, "x_mean": mean, "x_std": std},
               out / "bridgesaw.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="bridgesaw.pt",
           log="saw_log.jsonl",
           what="residual MLP predicting a bridge saw's cutting time for a granite slab"
                " (healthy)")


if __name__ == "__main__":
    main()
