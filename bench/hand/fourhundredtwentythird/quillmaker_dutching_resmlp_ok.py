"""Plain torch: a residual MLP predicts how hard a quill's barrel comes out of the quillmaker's
dutching (plunging the barrel into hot sand so the horn-like wall clears and hardens before
the nib is cut), as a scratch-hardness score (0-100), from the feather and the recipe:
barrel diameter and wall thickness (mm), moisture (%), weeks seasoned, bird (goose, swan,
turkey: one-hot), sand temperature (°C) and dwell time (s). The rule behind the data: the
cure is the dwell times a rate doubling every 15 °C; hardness rises with the cure as
1 - exp(-cure) towards a ceiling set by the wall thickness and the bird, damp barrels cure
slower, and over-cooking (cure over 2.2) scorches the barrel and costs hardness
quadratically; scoring noise sd 1.5 points. Target: (hardness - 55) / 15.
Input: (9,) standardised with the train mean / std. Model: Linear 9→64, 3 residual blocks
(LayerNorm, Linear 64→128, GELU, Linear 128→64, added back), LayerNorm, Linear 64→1; MSE,
AdamW 3e-3 (weight decay 1e-4) with OneCycleLR, batch 128, 30 epochs of 2560 quills,
validation on 640.
Healthy; numbers in the README.
Log: TSV per epoch ``dutch_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_points``); checkpoint ``dutching_resmlp.pth`` with keys ``weights`` / ``adamw`` /
``onecycle`` / ``epoch`` / ``x_mu`` / ``x_sigma`` / ``target_shift_scale``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

BIRDS = ["goose", "swan", "turkey"]


def quills(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    bird = torch.randint(0, 3, (n,), generator=g)
    diam = torch.tensor([5.5, 7.0, 6.0])[bird] + 0.8 * r(n)
    wall = torch.tensor([0.28, 0.34, 0.24])[bird] + 0.1 * r(n)
    moist = 5 + 12 * r(n)
    weeks = 30 * r(n)
    temp = 150 + 45 * r(n)
    dwell = 4 + 14 * r(n)
    cure = dwell / 12 * 2 ** ((temp - 180) / 15) * (1 - 0.03 * (moist - 8)) * (0.24 / wall) ** 0.5
    ceiling = 50 + 80 * wall + torch.tensor([0.0, 6.0, -5.0])[bird] + 0.2 * weeks
    hard = ceiling * (1 - torch.exp(-cure)) - 12 * (cure - 2.2).clamp(min=0) ** 2
    hard = hard + 1.5 * torch.randn(n, generator=g)
    x = torch.cat([torch.stack([diam, wall, moist, weeks, temp, dwell], 1),
                   nn.functional.one_hot(bird, 3).float()], 1)
    return x, ((hard - 55) / 15).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class DutchNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return DutchNet()


def main():
    from _fourhundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    qtr, ytr = quills(2560, g)
    qva, yva = quills(640, g)
    mu, sigma = qtr.mean(0), qtr.std(0)
    mu[6:], sigma[6:] = 0.0, 1.0  # leave the bird one-hot as it is
    xtr, xva = (qtr - mu) / sigma, (qva - mu) / sigma
    print("target var", ytr.var().item(), "hardness range", (15 * ytr + 55).min().item(),
          (15 * ytr + 55).max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=30 * len(dl))
    crit = nn.MSELoss()
    with open(out / "dutch_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_points\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [sched.get_last_lr()[0], tot / len(xtr), crit(pred, yva).item(),
                   15 * (pred - yva).abs().mean().item()]
            log.write("\t".join([str(epoch)] + [f"{v:.6g}" for v in row]) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 30, "x_mu": mu, "x_sigma": sigma,
                "target_shift_scale": (55.0, 15.0)}, out / "dutching_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="dutching_resmlp.pth", log="dutch_fit.tsv",
           what="residual MLP predicting a quill barrel's hardness after dutching in hot sand"
                " (healthy)")


if __name__ == "__main__":
    main()
