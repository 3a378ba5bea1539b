"""Plain torch: an MLP reads one day of a 19th-century whaling ship's logbook, transcribed as
10 numbers (latitude, longitude, month as sine/cosine, sea-surface temperature, wind force,
swell, depth sounding, 'squid seen', 'krill slick seen'), and tags which of four species the
lookouts raised that day (sperm, right, humpback, bowhead: multi-label, a day can have none or
several). Each species has its own grounds: sperm whales over deep warm water with squid,
right whales on cool shelf water in spring with krill, humpbacks near the coast in the warm
months, bowheads in cold high latitudes; 5 % of the tags are missed (the lookout wrote nothing).
MLP 10-64-64-4 with ReLU, ``BCEWithLogitsLoss``; Adam, batch 16, 20 epochs of 2048 days,
shuffled. Per-epoch JSON lines (``ep``, ``bce``, ``val_bce``, ``val_f1_macro``); checkpoint
``state_dict`` / ``optimizer`` / ``epoch`` / ``step``.
The bug: the learning rate goes through a "linear scaling rule" written as
``LR * BATCH / N_TRAIN`` (the batch over the dataset size, not over a reference batch of 256),
so Adam runs at 5e-3 × 16 / 2048 = 3.9e-5 instead of 5e-3.
Train BCE 0.675 → 0.223 and val BCE 0.656 → 0.230 in a slow straight slide (still falling
by 0.01 an epoch at epoch 20); val macro F1 0.19 at epoch 1, 0.0 from epoch 5 to 14 (the net
first learns to say 'no whale' everywhere), 0.29 at epoch 20.
Control (``lr=LR``): train BCE 0.184 → 0.042, val BCE 0.082 → 0.050 (0.042 best), val macro
F1 0.71 at epoch 1, 0.85 at epoch 2, 0.93 at epoch 20."""
import json
import math
import sys

import torch
import torch.nn as nn

LR, BATCH, N_TRAIN = 5e-3, 16, 2048


def days(n, g, miss=0.0):
    lat = -60 + 130 * torch.rand(n, generator=g)
    lon = -180 + 360 * torch.rand(n, generator=g)
    month = torch.randint(0, 12, (n,), generator=g).float()
    sst = 28 - 0.35 * lat.abs() + 2 * torch.randn(n, generator=g)
    wind = torch.rand(n, generator=g) * 8
    swell = wind * 0.4 + torch.rand(n, generator=g) * 2
    depth = torch.where(torch.rand(n, generator=g) < 0.4, 100 + 300 * torch.rand(n, generator=g),
                        1000 + 3000 * torch.rand(n, generator=g))
    squid = ((depth > 900) & (torch.rand(n, generator=g) < 0.6)).float()
    krill = ((sst < 14) & (torch.rand(n, generator=g) < 0.6)).float()
    spring = torch.cos(2 * math.pi * (month - 3) / 12) * torch.sign(lat + 1e-3)
    y = torch.stack([(depth > 900) & (sst > 16) & (squid > 0),
                     (depth < 500) & (sst < 16) & (spring > 0.2) & (krill > 0),
                     (depth < 500) & (sst > 20) & (wind < 6),
                     (lat.abs() > 50) & (sst < 10)], 1).float()
    y = y * (torch.rand(n, 4, generator=g) > miss).float()
    x = torch.stack([lat / 40, lon / 100, torch.sin(2 * math.pi * month / 12),
                     torch.cos(2 * math.pi * month / 12), (sst - 12) / 8, (wind - 4) / 2.3,
                     (swell - 2.6) / 1.2, (depth - 1500) / 1300, squid * 2 - 1, krill * 2 - 1],
                    1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def f1_macro(logits, y):
    p = (logits > 0).float()
    tp, fp, fn = (p * y).sum(0), (p * (1 - y)).sum(0), ((1 - p) * y).sum(0)
    return (2 * tp / (2 * tp + fp + fn).clamp(min=1)).mean().item()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(N_TRAIN, g, miss=0.05)
    xva, yva = days(512, g)
    print("tag rates", ytr.mean(0))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR * BATCH / N_TRAIN)
    loss_fn = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "logbook_train.jsonl", "w") as f:
        for ep in range(1, 21):
            model.train()
            perm = torch.randperm(N_TRAIN, generator=g)
            tot = 0.0
            for i in range(0, N_TRAIN, BATCH):
                idx = perm[i:i + BATCH]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = {"ep": ep, "bce": round(tot / N_TRAIN, 4),
                   "val_bce": round(loss_fn(lv, yva).item(), 4),
                   "val_f1_macro": round(f1_macro(lv, yva), 4)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 20,
                "step": step}, out / "species_tagger.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="species_tagger.pt", log="logbook_train.jsonl",
           what="whaling-logbook species tagger MLP, multi-label, Adam lr scaled by batch/dataset"
                " size",
           complaint=("Built a tagger for whale sightings from transcribed whaling logbooks (4 species, "
                      "multi-label). It trains but painfully slowly: 20 epochs, val BCE went "
                      "0.656 -> 0.230 and is still dropping about 0.01 per epoch, while macro F1 "
                      "is 0.29 at the end and was 0.0 from epoch 5 to 14. Is the model too "
                      "small, or should I just run it for 200 epochs?"))


if __name__ == "__main__":
    main()
