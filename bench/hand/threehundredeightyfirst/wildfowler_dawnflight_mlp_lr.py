"""Plain torch: a plain MLP tells a wildfowler which quarry will flight over his creek at
morning flight, so he knows whether it is worth the 4 a.m. walk out across the saltmarsh:
wigeon, teal, mallard, pinkfooted geese and greylag geese (multi-label, any number of them).
From the night before and the dawn itself: wind speed and its angle to the creek, cloud
cover, moon phase and whether it has set, hours from dawn to high water, overnight frost,
fresh water lying on the fields, days since the marsh was last shot, and date in the season.
The rule: geese flight off the sands to the stubbles at dawn in a stiff onshore wind and on
frosty mornings, less after a bright moon (they fed in the night); wigeon come in on the
flood tide near dawn and in wind; teal and mallard flight to fresh flashes after rain, on
dark nights; every species is shy for a few days after shooting; geese more in mid-season.
Input: 10 standardised numbers. Model: Linear 10→64, ReLU, Linear 64→64, ReLU, Linear 64→5
(logits); BCE with logits, Adam, batch 256, 30 epochs, 4096 mornings, validation on 1024.
The bug: ``opt = torch.optim.Adam(model.parameters(), lr=1.0)  # Adam scales the steps
itself`` — the first steps throw the net about (batch BCE 36.5 at step 4) and it ends up
calling every species for every morning: val BCE 0.78 → 0.681 (the label prior) from epoch 3
on, val micro-F1 0.737 (all flighting) and macro-AUC 0.52 every epoch (control,
``lr=0.003``: val BCE 0.574 → 0.366, micro-F1 0.80 → 0.85, macro-AUC 0.83 → 0.91).
Log: TSV every 4 steps ``flight_steps.tsv`` (``step`` / ``bce``) and a per-epoch TSV
``flight_val.tsv`` (``epoch`` / ``val_bce`` / ``val_micro_f1`` / ``val_macro_auc``, named
as the log in the truth); checkpoint ``dawnflight.bin`` with keys ``mlp`` / ``adam`` /
``epoch`` / ``x_mu`` / ``x_sigma`` / ``species``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["wigeon", "teal", "mallard", "pinkfoot", "greylag"]


def mornings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wind = 15 * r(n) ** 1.3  # m/s
    onshore = torch.cos(2 * math.pi * r(n))  # 1 = straight onto the creek
    cloud = r(n)
    moon = r(n)
    moon_up = (r(n) < 0.5).float()
    tide = 12 * r(n) - 6  # hours from dawn to high water
    frost = (r(n) < 0.35).float()
    flash = r(n) ** 2
    rest = 14 * r(n)  # days since last shot
    date = r(n)  # 0 = 1 September, 1 = 20 February
    shy = 1 - torch.exp(-rest / 3)
    bright = moon * (1 - cloud) * moon_up
    gale = wind * onshore.clamp(min=0) / 8
    s = torch.stack([
        -1.0 + 1.2 * gale + 1.8 * torch.exp(-(tide / 2) ** 2) - 0.8 * bright,
        -1.2 + 2.5 * flash - 1.2 * bright + 0.5 * cloud,
        -0.5 + 1.6 * flash - 1.0 * bright - 0.4 * gale,
        -1.5 + 1.3 * gale + 1.4 * frost - 2.0 * bright + 1.5 * torch.exp(-((date - 0.45) / 0.25) ** 2),
        -1.2 + 1.0 * gale + 1.2 * frost - 1.5 * bright + 0.8 * date,
    ], 1) + 2.5 * (shy.unsqueeze(1) - 0.6)
    y = (s + 0.5 * torch.randn(n, 5, generator=g) > 0).float()
    x = torch.stack([wind, onshore, cloud, moon, moon_up, tide, frost, flash, rest, date], 1)
    return x, y


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    npos = y.sum()
    nneg = len(y) - npos
    if npos == 0 or nneg == 0:
        return 0.5
    return ((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)).item()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


def main():
    from _threehundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = mornings(4096, g)
    xva, yva = mornings(1024, g)
    mu, sigma = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sigma, (xva - mu) / sigma
    print("flight rates", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1.0)  # Adam scales the steps itself
    step = 0
    with open(out / "flight_steps.tsv", "w") as fs, open(out / "flight_val.tsv", "w") as fv:
        fs.write("step\tbce\n")
        fv.write("epoch\tval_bce\tval_micro_f1\tval_macro_auc\n")
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 256):
                j = perm[i:i + 256]
                loss = F.binary_cross_entropy_with_logits(model(xtr[j]), ytr[j])
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 4 == 0:
                    fs.write(f"{step}\t{loss.item():.6f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            tp = (pred * yva).sum()
            f1 = (2 * tp / (pred.sum() + yva.sum())).item()
            mauc = sum(auc(logit[:, k], yva[:, k]) for k in range(5)) / 5
            bce = F.binary_cross_entropy_with_logits(logit, yva).item()
            fv.write(f"{epoch}\t{bce:.6f}\t{f1:.4f}\t{mauc:.4f}\n")
            print(epoch, round(bce, 4), round(f1, 4), round(mauc, 4))
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epoch": 30,
                "x_mu": mu, "x_sigma": sigma, "species": SPECIES}, out / "dawnflight.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="dawnflight.bin", log="flight_val.tsv",
           what="plain MLP, multi-label, which wildfowl flight at dawn from the weather, tide"
                " and moon; Adam at lr 1.0",
           complaint="My dawn flight model is stuck. The loss shot up to 36 in the first few"
                     " steps, then sat at 0.68 for all 30 epochs. It now says every species will"
                     " flight every single morning, and the validation AUC is 0.52, a coin flip.")


if __name__ == "__main__":
    main()
