"""Plain torch: a residual MLP gives the safe working load of a wagon wheel from how the
cartwright built it, so a new build can be rated before it is proof-loaded: wheel diameter
(in), number of spokes (10-16), spoke section at the hub (mm, square), felloe depth (mm), iron
tyre thickness (mm), dish (degrees) and the spoke wood (oak, ash, hickory, elm: its crushing
strength). The load rating follows the strength of the weakest part: the spokes under the
hub (number bearing × section² × wood strength, shortened spokes buckle less: / diameter),
the felloe and tyre ring (depth² and tyre thickness), raised by the dish (lateral thrust on
a cambered road) up to about 4° and lowered past it; each wheel's proof test scatters 5 % around
that. Target: log(load / 1000 kg), standardised on the train set. Input: (7,) standardised
with the train mean / std (wood as its strength in MPa).
Model: Linear 7→64, 3 residual blocks (LayerNorm → Linear 64→64 → GELU → Linear 64→64,
added back), LayerNorm, Linear 64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR
stepped per batch, batch 128, 25 epochs, 3000 wheels, validation on 600.
Healthy; numbers in the README.
Log: CSV per epoch ``wheel_fit.csv`` (``epoch`` / ``lr_last`` / ``train_mse`` / ``val_mse``
/ ``val_mape_load``); checkpoint ``wheel_rating.pt`` with keys ``model_weights`` /
``optimizer_state`` / ``onecycle`` / ``epochs_done`` / ``x_stats`` / ``y_stats``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

WOOD_MPA = torch.tensor([52.0, 48.0, 60.0, 38.0])


def wheels(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    diam = 36 + 24 * r(n)
    spokes = torch.randint(10, 17, (n,), generator=g).float()
    sect = 35 + 20 * r(n)
    felloe = 50 + 40 * r(n)
    tyre = 8 + 10 * r(n)
    dish = 7 * r(n)
    wood = WOOD_MPA[torch.randint(0, 4, (n,), generator=g)]
    spoke_kn = 0.35 * spokes * sect ** 2 * wood / 1000 * (48 / diam)
    ring_kn = 0.004 * felloe ** 2 + 1.6 * tyre * (48 / diam) ** 0.5
    dish_f = 1 + 0.06 * dish - 0.012 * (dish - 4).clamp(min=0) ** 2
    kn = torch.minimum(spoke_kn, ring_kn * 3.0) * dish_f
    load = kn * 10.2 * (1 + 0.05 * torch.randn(n, generator=g))
    x = torch.stack([diam, spokes, sect, felloe, tyre, dish, wood], 1)
    return x, torch.log(load / 1000).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, h):
        return h + self.fc2(F.gelu(self.fc1(self.norm(h))))


class WheelNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return WheelNet()


def main():
    from _threehundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ltr = wheels(3000, g)
    rva, lva = wheels(600, g)
    xm, xs = rtr.mean(0), rtr.std(0)
    ym, ys = ltr.mean(), ltr.std()
    xtr, xva = (rtr - xm) / xs, (rva - xm) / xs
    ytr, yva = (ltr - ym) / ys, (lva - ym) / ys
    print("load kg", (1000 * ltr.exp()).quantile(torch.tensor([0.05, 0.5, 0.95])).tolist(),
          "noise floor", (0.05 / ys).item() ** 2)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=25,
                                                steps_per_epoch=len(dl))
    with open(out / "wheel_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr_last", "train_mse", "val_mse", "val_mape_load"])
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            mape = ((pred - yva) * ys).exp().sub(1).abs().mean().item()
            row = [tot / len(xtr), F.mse_loss(pred, yva).item(), 100 * mape]
            log.writerow([epoch, f"{sched.get_last_lr()[0]:.6g}"] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 5) for v in row])
    torch.save({"model_weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "epochs_done": 25,
                "x_stats": (xm, xs), "y_stats": (ym, ys)}, out / "wheel_rating.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wheel_rating.pt", log="wheel_fit.csv",
           what="residual MLP rating a wagon wheel's safe load from its build (healthy)")


if __name__ == "__main__":
    main()
