"""Electron / charged-pion separation from a sampling calorimeter (particle physics): each event
is the deposited energy in a 2-layer 12×12 cell grid (a thin EM front layer and a deeper back
layer), synthetic: electrons shower early and compactly (Molière-like radius ~0.8 cells, ~90 %
of the energy in the front layer), pions late and wide (radius 1.5–3 cells, a few hot
sub-clusters from the hadronic shower, most energy in the back layer, larger fluctuations);
beam energy 10–50 GeV, impact point jittered ± 1.5 cells; 30 % of the pions charge-exchange
early and shower like an electron (front fraction 0.75–0.95, radius 0.75–1.1 cells, only part of
the beam energy), so the classes overlap; 0.3 GeV electronic noise per cell. Inputs are
log(1 + E/GeV) per cell, flattened to 288 features. A deep MLP (6 hidden layers of 256, ReLU)
→ 2 logits; Adam 1e-3, batch 64, 6 epochs of 3000 events (a shuffle per epoch); JSON lines per
epoch (loss, val_loss, val_accuracy).
Bug: the author's "init like the paper" loop calls ``nn.init.normal_(m.weight, std=1.0)`` on
every Linear (std 1 instead of He's √(2/fan_in) ≈ 0.09 or PyTorch's default ≈ 0.035): each
ReLU layer multiplies the activation scale by ~√(256/2) ≈ 11, so the logits at step 0 are ~10^7 (mean |logit| 8.6e6 on the batch)
and the loss is in the hundreds of thousands: train loss 919172 → 342167 → 177439 → 95477 →
51469 → 24121, val loss 572116 → 356767, val accuracy 0.78 → 0.82 (mean |logit| still 8.1e6
after training). The control (PyTorch's default init): train loss 0.42 → 0.14, val loss 0.33 →
0.29, val accuracy 0.845 → 0.887 after the same 6 epochs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

G = 12


def events(n, g):
    yy, xx = torch.meshgrid(torch.arange(G).float(), torch.arange(G).float(), indexing="ij")
    y = (torch.rand(n, generator=g) < 0.5).long()  # 1 = pion
    e_beam = 10 + 40 * torch.rand(n, generator=g)
    c = 5.5 + (torch.rand(n, 2, generator=g) - 0.5) * 3
    x = torch.zeros(n, 2, G, G)
    for i in range(n):
        if y[i] == 0:
            frac_front = 0.85 + 0.1 * float(torch.rand(1, generator=g))
            r = 0.7 + 0.2 * float(torch.rand(1, generator=g))
            blobs = [(c[i], r, 1.0)]
        elif float(torch.rand(1, generator=g)) < 0.3:  # early charge exchange: an EM-like pion
            frac_front = 0.75 + 0.2 * float(torch.rand(1, generator=g))
            r = 0.75 + 0.35 * float(torch.rand(1, generator=g))
            blobs = [(c[i], r, 1.0)]
        else:
            frac_front = 0.1 + 0.35 * float(torch.rand(1, generator=g))
            r = 1.5 + 1.5 * float(torch.rand(1, generator=g))
            k = int(torch.randint(1, 4, (1,), generator=g))
            blobs = [(c[i], r, 0.5)] + [(c[i] + torch.randn(2, generator=g) * 1.8, 0.8, 0.5 / k)
                                        for _ in range(k)]
        img = torch.zeros(G, G)
        for ctr, rad, w in blobs:
            img = img + w * torch.exp(-((yy - ctr[0]) ** 2 + (xx - ctr[1]) ** 2) / (2 * rad ** 2))
        img = img / img.sum()
        e = e_beam[i] * (1.0 if y[i] == 0 else 0.5 + 0.4 * float(torch.rand(1, generator=g)))
        back = img if y[i] == 1 else torch.exp(-((yy - c[i, 0]) ** 2 + (xx - c[i, 1]) ** 2) / 4.5)
        x[i, 0] = e * frac_front * img
        x[i, 1] = e * (1 - frac_front) * back / back.sum()
    x = (x + 0.3 * torch.randn(x.shape, generator=g)).clamp_min(0)
    return torch.log1p(x).flatten(1), y


def build():
    torch.manual_seed(0)
    layers, d = [], G * G * 2
    for _ in range(6):
        layers += [nn.Linear(d, 256), nn.ReLU()]
        d = 256
    model = nn.Sequential(*layers, nn.Linear(256, 2))
    for m in model.modules():  # init like the paper
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=1.0)
            nn.init.zeros_(m.bias)
    return model


def main():
    from _hundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = events(3600, g)
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "calo_train.jsonl", "w")
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
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
            rec = {"epoch": epoch, "loss": tot / len(xtr), "val_loss": F.cross_entropy(lo, yva).item(),
                   "val_accuracy": (lo.argmax(1) == yva).float().mean().item()}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 6,
                "cells": [2, G, G]}, out / "calo_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["bad_weight_init"],
           checkpoint="calo_mlp.pt", log="calo_train.jsonl",
           what="deep MLP e/pi calorimeter classifier, every Linear initialised N(0, 1)",
           complaint="The loss of my electron/pion calorimeter classifier is absurd: 919172 in the "
                     "first epoch and still 24121 after 6 epochs, validation loss 356767. "
                     "Validation accuracy only creeps from 0.78 to 0.82. Is the network just too "
                     "deep for this, or is something wrong?")


if __name__ == "__main__":
    main()
