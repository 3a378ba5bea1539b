"""Plain torch: an MLP tells a west-coast creeler which species will come up in a creel from
where and how it was set (multi-label, 4 outputs: lobster, brown crab, velvet crab, wrasse),
to plan where to shoot fleets for the live-export order. Per haul: depth (4-60 m), bottom
(rock / sand / mud, one-hot), soak days, bottom temperature, fresh or salted bait, parlour or
inkwell creel, and the month as sine / cosine. Counts per creel are Poisson with rates from
the fishery's rules of thumb: lobster on rock at 5-35 m, more when warm, parlour creels hold
them; brown crab deeper (20-60 m) on sand or rock, longer soaks; velvet crab shallow rock
under 15 m, fresh bait; wrasse shallow rock in summer, short soaks. The sheet from the boat
holds the counts (0-7 per species this season); a species is in the creel when its count
is above 0.
Input: (10,) standardised. Model: Linear 10→64 + ReLU, Linear 64→64 + ReLU, Linear 64→4
(logits); BCEWithLogitsLoss, SGD 0.05 Nesterov momentum 0.9, batch 128, 25 epochs, 4000 hauls,
validation on 1000.
The bug: the targets are the counts themselves, ``ytr, yva = ctr.float(), cva.float()  # one
column per species in the creel``, so BCE sees targets of 2-7 where a species came up more
than once: for those the loss has no floor, it runs below zero and the logits are pushed up
without end; with Nesterov momentum the net blows up in epoch 2 (train loss 0.486 → 0.101 →
-13.7, val loss 0.317 → 0.0012 → -78.0, mean |logit| 2.3 → 5.2 → 691) and every number is
NaN from epoch 3 on, ``val_acc`` frozen at 0.839 (control, ``(ctr > 0).float(), (cva >
0).float()``: val loss 0.351 → 0.279, val accuracy 0.840 → 0.887).
Log: CSV per epoch ``species_epochs.csv`` (``epoch`` / ``train_loss`` / ``val_loss`` /
``val_acc`` / ``val_mean_abs_logit``); checkpoint ``species_mlp.ckpt`` with keys ``weights`` /
``sgd_state`` / ``epoch`` / ``x_mu`` / ``x_sigma`` / ``species``."""
import csv
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

SPECIES = ["lobster", "brown_crab", "velvet_crab", "wrasse"]


def hauls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 4 + 56 * r(n)
    bottom = torch.multinomial(torch.tensor([0.5, 0.3, 0.2]), n, replacement=True, generator=g)
    rock, sand, mud = (bottom == 0).float(), (bottom == 1).float(), (bottom == 2).float()
    soak = torch.randint(1, 6, (n,), generator=g).float()
    month = torch.randint(3, 11, (n,), generator=g).float()
    temp = 10.5 - 3 * torch.cos(2 * math.pi * (month - 2) / 12) + 0.5 * torch.randn(n, generator=g)
    salted = (r(n) < 0.4).float()
    parlour = (r(n) < 0.6).float()
    sat = 1 - torch.exp(-soak / 1.5)
    lob = 2.2 * rock * torch.exp(-((depth - 20) / 12) ** 2) * torch.sigmoid(temp - 10) \
        * (0.5 + 0.5 * parlour) * sat
    brown = 2.5 * (0.6 * rock + sand) * torch.sigmoid((depth - 22) / 4) * (1 - torch.exp(-soak / 3))
    velvet = 2.0 * rock * torch.sigmoid((15 - depth) / 2) * (1 - 0.7 * salted) * sat
    wrasse = 1.2 * rock * torch.sigmoid((12 - depth) / 3) * torch.sigmoid(temp - 12) \
        * torch.exp(-(soak - 1) / 2)
    rate = torch.stack([lob, brown, velvet, wrasse], 1) + 0.03
    counts = torch.poisson(rate, generator=g).clamp(max=9)
    x = torch.stack([depth, rock, sand, mud, soak, temp, salted, parlour,
                     torch.sin(2 * math.pi * month / 12), torch.cos(2 * math.pi * month / 12)], 1)
    return x, counts


class SpeciesMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return SpeciesMLP()


def main():
    from _fourhundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ctr = hauls(4000, g)
    xva, cva = hauls(1000, g)
    mu, sigma = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sigma, (xva - mu) / sigma
    ytr, yva = ctr.float(), cva.float()  # one column per species in the creel
    print("present share", (ctr > 0).float().mean(0).tolist(), "max", ctr.max(0).values.tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "species_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_loss", "val_loss", "val_acc", "val_mean_abs_logit"])
        for epoch in range(25):
            model.train()
            tot, cnt = 0.0, 0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            row = [tot / cnt, crit(logit, yva).item(),
                   ((torch.sigmoid(logit) > 0.5).float() == yva).float().mean().item(),
                   logit.abs().mean().item()]
            true_acc = ((logit > 0) == (cva > 0)).float().mean().item()
            fa = ((logit > 0) & (cva == 0)).float().sum().item() / (cva == 0).sum().item()
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row], "presence acc", round(true_acc, 4),
                  "false alarms on empty", round(fa, 4))
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 25,
                "x_mu": mu, "x_sigma": sigma, "species": SPECIES}, out / "species_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="species_mlp.ckpt", log="species_epochs.csv",
           what="MLP predicting which of 4 species come up in a creel (multi-label BCE); the"
                " per-species counts (0-7) are used as the BCE targets",
           complaint="Our creel species model (4 species, multi-label) goes weird in the third"
                     " epoch: train loss drops below zero to -13.7, validation loss to -78, the"
                     " average |logit| jumps to ~690, and from epoch 3 on every number is nan."
                     " val_acc then sits at 0.839 for the remaining 22 epochs.")


if __name__ == "__main__":
    main()
