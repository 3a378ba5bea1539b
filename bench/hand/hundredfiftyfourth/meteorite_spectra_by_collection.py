"""Meteorite class from a lab reflectance spectrum (48 bands, 0.4–2.5 µm), synthetic: ordinary
chondrite (1 µm + 2 µm olivine/pyroxene bands), carbonaceous chondrite (dark, flat, weak
0.7 µm band), iron (red-sloped, featureless, bright) and HED achondrite (deep 0.93 + 1.95 µm
pyroxene bands); a per-sample albedo scale, a grain-size slope and noise 0.04. An MLP (48 → 64
→ 64 → 4, dropout 0.2), Adam 3e-3, batch 32, 10 epochs of 1600 spectra; a JSON-lines log per
epoch.
Bug: the training spectra come from four collection files, one per class, concatenated with
``torch.cat`` and served by a ``DataLoader(..., shuffle=False)``: every epoch is 400 OC, then
400 CC, 400 iron, 400 HED, so each epoch ends having seen only HED for 12 steps. The loss
saw-tooths (first batch of each epoch 1.4–1.9, last 0.06–0.2), mean train loss 0.52, val
accuracy 0.28 → 0.73 → 0.52 → … → 0.83 (ordinary chondrites predicted 29 times for ~100);
the control (``shuffle=True``) reaches train loss 0.030, val accuracy 0.985."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["ordinary_chondrite", "carbonaceous_chondrite", "iron", "hed_achondrite"]
WL = torch.linspace(0.4, 2.5, 48)


def band(c, w, d):
    return d * torch.exp(-((WL - c) / w) ** 2)


def spectra(k, n, g):
    r = lambda: torch.rand(n, 1, generator=g)  # noqa: E731
    if k == 0:
        s = 0.25 * (1 - band(1.0, 0.15, 0.35) - band(2.0, 0.3, 0.12))
    elif k == 1:
        s = 0.07 * (1 - band(0.7, 0.1, 0.15)) + 0.01 * WL
    elif k == 2:
        s = 0.15 + 0.08 * (WL - 0.4)
    else:
        s = 0.3 * (1 - band(0.93, 0.12, 0.5) - band(1.95, 0.3, 0.35))
    s = s[None] * (0.6 + 0.8 * r()) + (r() - 0.5) * 0.06 * (WL[None] - 1.4)
    return s + 0.04 * torch.randn(n, 48, generator=g)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(48, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 64),
                         nn.ReLU(), nn.Linear(64, 4))


def main():
    from _hundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    collections = [spectra(k, 400, g) for k in range(4)]  # one file per collection
    xtr = torch.cat(collections)
    ytr = torch.cat([torch.full((400,), k) for k in range(4)])
    yva = torch.randint(0, 4, (400,), generator=g)
    xva = torch.stack([spectra(int(k), 1, g)[0] for k in yva])
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=False)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "train_log.jsonl", "w")
    for epoch in range(10):
        model.train()
        losses = []
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"ep": epoch, "loss": round(sum(losses) / len(losses), 4),
                   "loss_first_batch": round(losses[0], 4), "loss_last_batch": round(losses[-1], 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, torch.bincount(lo.argmax(1), minlength=4).tolist(), file=sys.stderr)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "classes": CLASSES, "norm": (mu, sd)}, out / "meteorite_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="meteorite_mlp.pt", log="train_log.jsonl",
           what="meteorite spectrum MLP, training set concatenated collection by collection, "
                "DataLoader shuffle=False",
           complaint="My meteorite classifier only gets 0.83 validation accuracy after 10 epochs and "
                     "it jumped around (0.73, then 0.52, then back up). It hardly ever says "
                     "ordinary chondrite, although the four classes are equally common. The training "
                     "loss per epoch is stuck around 0.5-0.65 and the first batch of each epoch "
                     "is always bad, around 1.5.")


if __name__ == "__main__":
    main()
