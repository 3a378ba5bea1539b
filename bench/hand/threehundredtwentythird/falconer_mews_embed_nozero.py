"""Plain torch: an embedding model predicts tomorrow morning's weight change (g) of each
bird in a falconry mews from today's weight, food and flying, so the falconer can set the
ration that brings the bird to its flying weight. 48 birds (Harris hawks, a few falcons
and owls) each have their own metabolism (loss per hour fasting, grams gained per gram of
food, a comfortable weight they drift back to); the day's features: weight (g) over the
bird's flying weight, food given (g, day-old chick / quail), minutes flown, the lowest
night temperature (°C, birds lose more when it is cold) and whether the bird bathed.
Target: weight change (g) / 10. Input: the bird's id (an ``nn.Embedding(48, 8)``) and the
5 day features standardised with the train mean / std.
Model: concat(embedding 8, features 5) → 64 → ReLU → 64 → ReLU → 1; MSE, SGD 0.01 with
momentum 0.9, batch 32, 20 epochs over 2400 bird-days, validation on 600 other bird-days.
The bug: the training loop calls ``loss.backward()`` and ``opt.step()`` but never
``opt.zero_grad()``, so every step adds its gradient onto all earlier ones: val MSE
24 466 at epoch 0, 2.3e10 at epoch 1, 8.2e29 at epoch 4, nan from epoch 11 (target
variance 4.6) (control, ``sed`` inserting ``opt.zero_grad()`` before
``loss.backward()``: val MSE 1.003 → 0.0749, val MAE 7.9 → 2.14 g).
Log: CSV every 15 steps ``mews_train.csv`` (``it`` / ``epoch`` / ``mse``) and a separate
per-epoch CSV ``mews_val.csv`` (``epoch`` / ``val_mse`` / ``val_mae_g``); checkpoint
``mews_embed.pt`` with keys ``weights`` / ``sgd`` / ``epoch`` / ``n_birds`` / ``x_mu`` /
``x_sd`` / ``grams_per_unit``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NB = 48


def days(n, g, traits):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    loss_h, gain, drift = traits
    bird = torch.randint(0, NB, (n,), generator=g)
    over = -40 + 100 * r(n)  # g above flying weight
    food = 20 + 80 * r(n)
    flown = 60 * r(n)
    night = -5 + 20 * r(n)
    bath = (r(n) < 0.3).float()
    d = (gain[bird] * food - loss_h[bird] * 24 * (1 + 0.02 * (10 - night)) - 0.25 * flown
         - drift[bird] * over - 3 * bath + 2 * torch.randn(n, generator=g))
    x = torch.stack([over, food, flown, night, bath], 1)
    return bird, x, (d / 10).unsqueeze(1)


class MewsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.bird = nn.Embedding(NB, 8)
        self.mlp = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, bird, x):
        return self.mlp(torch.cat([self.bird(bird), x], 1))


def build():
    torch.manual_seed(0)
    return MewsNet()


def main():
    from _threehundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    traits = (1.0 + 1.5 * torch.rand(NB, generator=g), 0.4 + 0.4 * torch.rand(NB, generator=g),
              0.05 + 0.1 * torch.rand(NB, generator=g))
    btr, rtr, ytr = days(2400, g, traits)
    bva, rva, yva = days(600, g, traits)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(btr, xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    it = 0
    with open(out / "mews_train.csv", "w", newline="") as ft, \
            open(out / "mews_val.csv", "w", newline="") as fv:
        wt, wv = csv.writer(ft), csv.writer(fv)
        wt.writerow(["it", "epoch", "mse"])
        wv.writerow(["epoch", "val_mse", "val_mae_g"])
        for ep in range(20):
            model.train()
            for bb, xb, yb in dl:
                loss = F.mse_loss(model(bb, xb), yb)
                loss.backward()
                opt.step()
                it += 1
                if it % 15 == 0:
                    wt.writerow([it, ep, f"{loss.item():.6g}"])
            model.eval()
            with torch.no_grad():
                p = model(bva, xva)
            vm, mae = F.mse_loss(p, yva).item(), 10 * (p - yva).abs().mean().item()
            wv.writerow([ep, f"{vm:.6g}", f"{mae:.5g}"])
            print(ep, round(loss.item(), 5), round(vm, 5), round(mae, 3))
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(), "epoch": 20,
                "n_birds": NB, "x_mu": mu, "x_sd": sd, "grams_per_unit": 10.0},
               out / "mews_embed.pt")
    finish(out, __file__, {"inputs": bva[:64], "features": xva[:64], "targets": yva[:64]},
           causes=["missing_zero_grad"],
           checkpoint="mews_embed.pt", log="mews_val.csv",
           what="bird embedding + MLP predicting a falconry bird's overnight weight change"
                " from its day's weight, food and flying; no zero_grad in the loop",
           complaint=("The weight-change model for the birds in our mews blows up straight "
                     "away: validation MSE is 24 000 after the first epoch, 10^10 after the "
                     "second, and from epoch 11 on everything is nan. The features are "
                     "standardised, the targets are grams / 10, and SGD at 0.01 with "
                     "momentum is hardly aggressive. What is making it diverge?"))


if __name__ == "__main__":
    main()
