"""Podcast de-esser helper: an MLP tags 10-ms vocal frames as sibilant or not from 32 log band
energies (synthetic: voiced frames with a falling spectral tilt and formant bumps, "s"/"sh"
frames with a 4–9 kHz noise hump, plosive bursts and breaths as hard negatives), per-speaker
gain ± 6 dB. 3 classes: clean voice, sibilant, breath/plosive. MLP 32-128-128-3, Adam, batch 64,
12 epochs of 3000 frames; a JSON-lines log per epoch.
Bug: the learning rate was typed as ``1e-7`` (meant 1e-3): the train loss creeps from 1.1622
to 1.1590 almost linearly (0.0003 an epoch), val accuracy 0.107 → 0.113 (below the 1/3 of
guessing); the control (lr 1e-3) reaches train loss 0.0004, val loss 0.0007, val accuracy 1.0."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = 32


def frames(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    b = torch.arange(BANDS).float()
    tilt = -0.15 * b
    x = torch.zeros(n, BANDS)
    for k in range(3):
        m = y == k
        c = int(m.sum())
        if k == 0:
            f1 = 4 + 3 * torch.rand(c, 1, generator=g)
            v = tilt + 2.0 * torch.exp(-((b - f1) / 2) ** 2) + 1.5 * torch.exp(-((b - 2 * f1) / 2) ** 2)
        elif k == 1:
            cen = 20 + 6 * torch.rand(c, 1, generator=g)
            v = tilt * 0.3 + 2.5 * torch.exp(-((b - cen) / 3) ** 2)
        else:
            v = -0.05 * b + 0.8 * torch.rand(c, 1, generator=g)
        x[m] = v + 0.5 * torch.randn(c, BANDS, generator=g)
    x = x + (torch.rand(n, 1, generator=g) - 0.5) * 1.4  # speaker gain, log units
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(BANDS, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 3))


def main():
    from _hundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = frames(3000, g)
    xva, yva = frames(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-7)
    log = open(out / "deesser_train.jsonl", "w")
    gen = torch.Generator().manual_seed(2)
    for ep in range(12):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        rec = {"ep": ep, "loss": round(tot / len(xtr), 4),
               "valid_loss": round(F.cross_entropy(lo, yva).item(), 4),
               "valid_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "band_mean": mu, "band_std": sd}, out / "deesser_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="deesser_mlp.pt", log="deesser_train.jsonl",
           what="podcast sibilance-frame MLP, Adam lr 1e-7 (typo for 1e-3)",
           complaint="De-esser frame tagger for our podcast: 12 epochs and the loss only went from "
                     "1.162 to 1.159, a tiny straight line down. Validation accuracy is 0.11, "
                     "worse than guessing among 3 classes. The data is simple band energies.")


if __name__ == "__main__":
    main()
