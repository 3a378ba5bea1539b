"""Plain torch: a residual MLP predicts the Shore A hardness a rubber compound will read on
the durometer after press cure, from the mixing sheet and the press settings, so the
compounder can hit a 60 ± 5 Shore A spec without curing a test slab for every tweak.
7 inputs: carbon black (phr, 0-80), process oil (phr, 0-40), sulfur (phr, 0.5-3),
accelerator (phr, 0.5-2.5), cure temperature (°C, 140-180), cure time (min, 4-30), silica
(phr, 0-30). Hardness: a base of 38, stiffening by filler (black more than silica, with a
small interaction), softening by oil, crosslink density from sulfur × accelerator scaled by
the state of cure 1 - exp(-k t) with an Arrhenius k (doubling every 10 °C), a little
reversion when hot and long; durometer reading noise ± 1 Shore A.
Input: (7,) standardised with the train mean / std. Target: (Shore A - 60) / 12.
Model: Linear 7→64, 3 residual blocks (LayerNorm → Linear 64→64 → GELU → Linear 64→64,
added back), LayerNorm, Linear 64→1; MSE, Adam 2e-3 with CosineAnnealingLR over 30 epochs
(per epoch), batch 100, 2000 compounds, validation on 500.
Healthy; numbers in the README.
Log: JSON lines per epoch ``shore_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_shore``); checkpoint ``shore_resmlp.pt`` with keys ``net`` /
``optimizer`` / ``scheduler`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``y_center_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def compounds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    black, oil, sulf = 80 * r(n), 40 * r(n), 0.5 + 2.5 * r(n)
    acc, temp, tmin, sil = 0.5 + 2 * r(n), 140 + 40 * r(n), 4 + 26 * r(n), 30 * r(n)
    k = 0.08 * 2 ** ((temp - 160) / 10)
    cure = 1 - torch.exp(-k * tmin)
    xlink = torch.sqrt(sulf * acc) * cure
    revert = 0.002 * (temp - 160).clamp(min=0) * tmin
    shore = (38 + 0.32 * black + 0.2 * sil + 0.001 * black * sil - 0.45 * oil
             + 9 * xlink - revert)
    shore = shore + 1.0 * torch.randn(n, generator=g)
    x = torch.stack([black, oil, sulf, acc, temp, tmin, sil], 1)
    return x, ((shore - 60) / 12).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class ShoreNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return ShoreNet()


def main():
    from _threehundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = compounds(2000, g)
    rva, yva = compounds(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    with open(out / "shore_fit.jsonl", "w") as log:
        for epoch in range(30):
            net.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            net.eval()
            with torch.no_grad():
                p = net(xva)
            row = {"epoch": epoch, "lr": lr, "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_shore": round(12 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"net": net.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 30, "x_mean": mean, "x_std": std,
                "y_center_scale": [60.0, 12.0]}, out / "shore_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="shore_resmlp.pt", log="shore_fit.jsonl",
           what="residual MLP predicting a rubber compound's cured Shore A durometer hardness"
                " from its recipe and press cure (healthy)")


if __name__ == "__main__":
    main()
