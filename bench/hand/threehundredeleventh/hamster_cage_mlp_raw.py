"""Plain torch: a multi-label MLP reads a pet shop's weekly hamster card (8 numbers: body
weight g, weight change over the week g, food eaten g/day, water drunk ml/day, wheel
revolutions per night, age in days, cage temperature °C, hours awake in the light) and
flags three things the shop vet should look at: overweight (a Syrian kept on seed mix and
a quiet wheel), dehydration risk (little water for its weight, warm cage) and an old-age
decline (over 18 months, losing weight, running less). Each flag is a rule of a few
readings with noise; an animal can carry several. Target: 3 sigmoid outputs.
Model: MLP 8→64→64→3 (ReLU, dropout 0.1), BCE with logits, SGD momentum 0.9 lr 0.01 with
a cosine schedule over 20 epochs, batch 100, 4000 cards, validation on 1000.
The bug: ``STANDARDISE = False`` (``# readings are already in their natural units``), so
the net sees wheel revolutions in the thousands next to weight changes of a few grams;
train BCE 992 in epoch 0, then 0.61 for all 19 epochs after, val BCE
0.597 from start to end, val F1 0.0 for all three flags in every epoch (control,
``STANDARDISE = True``: train BCE 0.66 → 0.214, val BCE 0.609 → 0.188, val F1 0.89 /
0.85 / 0.87 for overweight / dehydration / decline; the flags are on 35 / 28 / 27 % of
cards).
Log: CSV per epoch ``hamster_flags.csv`` (``epoch`` / ``lr`` / ``train_bce`` /
``val_bce`` / ``val_f1_overweight`` / ``val_f1_dehydration`` / ``val_f1_decline``);
checkpoint ``hamster_mlp.pt`` with keys ``net_state`` / ``opt_state`` / ``sched_state`` /
``epoch`` / ``flags``."""
import csv

import torch
import torch.nn as nn

FLAGS = ["overweight", "dehydration", "decline"]
STANDARDISE = False  # readings are already in their natural units


def cards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 60 + 840 * r(n)
    weight = 100 + 90 * r(n)
    revs = 1000 + 14000 * r(n) * (1 - 0.5 * (age > 540).float())
    food = 8 + 8 * r(n)
    water = 4 + 14 * r(n)
    temp = 18 + 10 * r(n)
    awake = 4 * r(n)
    decline = (age > 540) & (r(n) < 0.6)
    dweight = 3 * torch.randn(n, generator=g) - 6 * decline.float() + 0.3 * (food - 12)
    over = (weight + 4 * food - revs / 400 + 8 * torch.randn(n, generator=g)) > 190
    dehyd = (water / weight * 100 - 0.4 * (temp - 22) + 0.8 * torch.randn(n, generator=g)) < 5
    dec = (decline & (dweight < -2)) | ((age > 700) & (revs < 3500))
    x = torch.stack([weight, dweight, food, water, revs, age, temp, awake], 1)
    return x, torch.stack([over, dehyd, dec], 1).float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 64), nn.ReLU(),
                         nn.Dropout(0.1), nn.Linear(64, 3))


def f1(p, y):
    tp = (p * y).sum(0)
    return (2 * tp / (p.sum(0) + y.sum(0)).clamp(min=1)).tolist()


def main():
    from _threehundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cards(4000, g)
    xva, yva = cards(1000, g)
    print("flag shares", ytr.mean(0).tolist())
    if STANDARDISE:
        mu, sd = xtr.mean(0), xtr.std(0)
        xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "hamster_flags.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "lr", "train_bce", "val_bce"] + [f"val_f1_{k}" for k in FLAGS])
        for epoch in range(20):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for i in range(0, len(xtr), 100):
                idx = perm[i:i + 100]
                loss = crit(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            sched.step()
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            row = [lr, tot / len(xtr), crit(lo, yva).item()] + f1((lo > 0).float(), yva)
            w.writerow([epoch] + [f"{v:.5g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 20, "flags": FLAGS}, out / "hamster_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="hamster_mlp.pt", log="hamster_flags.csv",
           what="multi-label MLP flagging overweight, dehydration and old-age decline from a pet"
                " shop's weekly hamster card",
           complaint="Our hamster health-flag model never flags anything. After a huge loss in the"
                     " first epoch it sits at about 0.61 for the remaining 19 epochs and the"
                     " F1 for overweight, dehydration and decline is zero every epoch, even as"
                     " the learning rate decays. About a third of the cards carry each flag.")


if __name__ == "__main__":
    main()
