"""Plain torch: an MLP sets three flags on a sack of hardwood ash bought by a potash works
from the ashburners, from the quick tests at the weigh-house, before it goes to the leach
tubs: "rich" (enough potash to leach, K2CO3 ≥ 9 % by the works' titration), "charry"
(unburnt char ≥ 6 %, needs re-burning) and "sandy" (insoluble grit ≥ 12 %, from ash swept up
off the ground). 7 test numbers: colour lightness (0-100), bulk density (g/l), pH of a 1:10
slurry, conductivity of the slurry (mS/cm), loss on ignition (%), sieve residue (%) and
moisture (%). The hidden composition (potash, char, grit, lime) drives the tests through the
chemistry (potash raises pH and conductivity, char darkens the ash and burns off on
ignition, grit is heavy and stays on the sieve, lime buffers the pH), with test noise; the
flags follow the works' thresholds on the composition, so they are not all separable.
Input: (7,) standardised with the train mean / std; targets (3,) 0/1 floats (multi-label).
Model: 7→64→ReLU→64→ReLU→3; BCEWithLogitsLoss, SGD 0.1 momentum 0.9 with MultiStepLR
(×0.2 at epochs 15 and 22), batch 128, 28 epochs, 3000 sacks, validation on 600.
The bug: the weights are set to zero at construction (``nn.init.zeros_(m.weight)`` in the
init loop, meant as a neutral start), so every hidden unit outputs 0 and, behind the ReLUs,
no weight ever gets a gradient; only the output biases learn the flag rates: train BCE 0.679
→ 0.668, val BCE 0.670 → 0.670 (flat from epoch 1), val F1 0.0 for every flag every epoch,
every sack "not rich, not charry, not sandy", val accuracy per flag 0.515 / 0.555 / 0.677
(the "no" shares) (control, the ``zeros_(m.weight)`` line removed, default init: val BCE
0.263 → 0.075, macro F1 0.858 → 0.965).
Log: CSV per epoch ``ash_flags.csv`` (``epoch`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_f1_rich`` / ``val_f1_charry`` / ``val_f1_sandy`` / ``val_macro_f1``); checkpoint
``weighhouse_mlp.ckpt`` with keys ``weights`` / ``opt_state`` / ``sched_state`` / ``epoch``
/ ``test_mean`` / ``test_std`` / ``flags``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FLAGS = ["rich", "charry", "sandy"]


def sacks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    noise = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    potash = 3 + 12 * r(n)
    char = 14 * r(n) ** 1.5
    grit = 25 * r(n) ** 2
    lime = 15 + 20 * r(n)
    moisture = 2 + 10 * r(n)
    light = 75 - 3.2 * char - 0.3 * grit + 0.2 * lime + noise(3)
    density = 520 + 18 * grit - 8 * char + 6 * moisture + noise(20)
    ph = 10.2 + 0.18 * potash - 0.03 * lime + noise(0.15)
    cond = 1.5 * potash + 0.1 * lime + noise(1.5)
    loi = 1.1 * char + 0.4 * lime + noise(1.5)
    sieve = 0.8 * grit + 0.4 * char + noise(2)
    x = torch.stack([light, density, ph, cond, loi, sieve, moisture + noise(0.5)], 1)
    y = torch.stack([potash >= 9, char >= 6, grit >= 12], 1).float()
    return x, y


class AshFlags(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 3))
        for m in self.mlp:
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.weight)  # neutral start, let the data set the weights
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return AshFlags()


def f1(pred, y):
    tp = (pred * y).sum(0)
    return 2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _fourhundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = sacks(3000, g)
    rva, yva = sacks(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("flag rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[15, 22], gamma=0.2)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "ash_flags.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr", "bce", "val_bce", "val_f1_rich", "val_f1_charry",
                      "val_f1_sandy", "val_macro_f1"])
        for epoch in range(28):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            scores = f1((logits > 0).float(), yva)
            row = [tot / len(xtr), crit(logits, yva).item()] + scores.tolist() + [scores.mean().item()]
            log.writerow([epoch, f"{lr:.4g}"] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row],
                  ((logits > 0).float() == yva).float().mean(0).tolist())
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 28, "test_mean": mu, "test_std": sd,
                "flags": FLAGS}, out / "weighhouse_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="weighhouse_mlp.ckpt", log="ash_flags.csv",
           what="MLP setting rich / charry / sandy flags on a sack of hardwood ash from"
                " weigh-house tests; all weights initialised to zero",
           complaint="Three-flag classifier for the ash sacks at our weigh-house: the loss drops"
                     " a hair in the first epoch (0.679 to 0.668) and then does not move for the"
                     " other 27 epochs, whatever the LR schedule does. Every validation sack comes"
                     " out with all three flags off, so F1 is 0 for rich, charry and sandy alike,"
                     " and per-flag accuracy is 0.52 / 0.56 / 0.68, which is what always saying"
                     " 'no' would give.")


if __name__ == "__main__":
    main()
