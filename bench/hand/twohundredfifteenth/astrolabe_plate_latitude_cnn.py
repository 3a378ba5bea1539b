"""Plain torch: a CNN tells which latitude a brass astrolabe plate (tympan) was engraved for,
from a 24×24 grey scan of the plate's upper half, one of four plates a collection's workshop
catalogues (36°, 42°, 48°, 54° N). The almucantars (circles of equal altitude) are circles
whose centres and radii follow the stereographic projection for the plate's latitude: the
higher the latitude, the further the circle centres sit from the plate centre and the flatter
the arcs look. Scans are shifted by up to ±2 px, the engraving depth varies, and there is
tarnish (smooth blotches) and noise. Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Linear(288
→ 64)-ReLU-Linear(64 → 4), no batch norm; SGD momentum 0.9, batch 32, 15 epochs of 1024 scans,
256 validation scans.
Log: JSON lines per epoch (``epoch``, ``loss``, ``val_loss``, ``val_acc``); checkpoint ``net``
/ ``opt`` / ``epoch`` / ``step``.
The bug: ``LR = 0.5`` at the top of the script, for SGD with momentum 0.9 on a plain ReLU CNN
(an effective step of 5). Epoch 1 train loss 1.62, then 1.40–1.43 for all 15 epochs (ln 4 =
1.386), val loss 1.39–1.45, val accuracy 0.23–0.28 (chance 0.25).
Control (``LR = 0.02``): val accuracy 0.70 after epoch 1, 0.84 at 6, 0.918 at 12, 0.902 at
15; val loss 0.685 → 0.217 (epoch 12), 0.278 at 15; train loss 1.22 → 0.06–0.12."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
LATS = [36.0, 42.0, 48.0, 54.0]
LR = 0.5


def scans(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = torch.zeros(n, 1, S, S)
    R = 40.0  # equator radius in px, the plate centre sits below the scan
    for i in range(n):
        phi = math.radians(LATS[int(y[i])])
        dx, dy = (float(v) for v in torch.randint(-2, 3, (2,), generator=g))
        depth = 0.6 + 0.6 * float(torch.rand(1, generator=g))
        for alt in (0, 15, 30, 45, 60):
            a = math.radians(alt)
            # stereographic almucantar: centre offset and radius along the meridian
            c = R * math.cos(phi) / (math.sin(phi) + math.sin(a))
            r = R * math.cos(a) / (math.sin(phi) + math.sin(a))
            cy = S + 8 - c + dy
            d = ((yy - cy) ** 2 + (xx - S / 2 - dx) ** 2).sqrt()
            img[i, 0] += depth * torch.exp(-((d - r) ** 2) / 0.8)
    tarnish = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=(S, S), mode="bilinear")
    img = img + 0.6 * tarnish + 0.2 * torch.randn(img.shape, generator=g)
    return (img - 0.5) / 0.5, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(32 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _twohundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1024, g)
    xva, yva = scans(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    step = 0
    with open(out / "plates.jsonl", "w") as log:
        for epoch in range(1, 16):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                rec = {"epoch": epoch, "loss": round(tot / 1024, 4),
                       "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                       "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 15, "step": step},
               out / "plate_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"], checkpoint="plate_cnn.pt",
           log="plates.jsonl",
           what="CNN naming an astrolabe plate's latitude from a scan; SGD momentum lr 0.5",
           complaint=("My astrolabe plate classifier never gets past guessing. Four plates (36, "
                      "42, 48, 54 degrees), 1024 scans, 15 epochs: loss is 1.62 in the first "
                      "epoch and then sits at 1.40-1.43 for the rest, val accuracy 0.23-0.28. "
                      "I plotted the scans and the almucantar arcs are clearly different "
                      "between plates, and the labels match the catalogue."))


if __name__ == "__main__":
    main()
