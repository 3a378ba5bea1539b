"""Plain torch: an MLP tells the two pistachio varieties of a sorting line apart (Kirmizi vs Siirt,
binary) from 16 shape and colour numbers a camera measures per nut (area, perimeter, major and
minor axis, eccentricity, solidity, roundness, compactness, mean R/G/B, hull colour spread, ...).
Siirt nuts are rounder and a little larger, Kirmizi redder, but the two overlap: the label comes
from a nonlinear mix of the features, and 6 % of the training labels are wrong (mixed bins).
MLP 16-48-48-1 (ReLU, dropout 0.2), ``BCEWithLogitsLoss``, AdamW 1e-3, weight decay 1e-4,
batch 64, 30 epochs of 1536 nuts, shuffled. Log: JSON lines, one per epoch. Checkpoint:
``state_dict``/``optimizer``/``epoch``.
Healthy: epoch 1 train 0.64, val 0.56, val accuracy 0.88; epoch 30 train 0.257, val 0.092,
val accuracy 0.997 — the val loss sits below the train loss all along (dropout and the 6 %
wrong labels act on train only)."""
import json
import sys

import torch
import torch.nn as nn

MIX = torch.randn(6, 16, generator=torch.Generator().manual_seed(7)) / 2  # camera optics


def nuts(n, g, flip=0.0):
    z = torch.randn(n, 6, generator=g)
    siirt = (0.9 * z[:, 0] + 0.6 * z[:, 1] * z[:, 2] - 0.7 * z[:, 3] + 0.5 * torch.tanh(2 * z[:, 4])
             + 0.3 * torch.randn(n, generator=g)) > 0
    x = z @ MIX + 0.2 * torch.randn(n, 16, generator=g)
    x[:, 0] = 60 + 8 * z[:, 0] + 3 * siirt.float()      # area, mm²
    x[:, 6] = 0.75 + 0.05 * z[:, 1]                      # roundness
    x[:, 9] = 140 + 15 * z[:, 3] - 10 * siirt.float()    # mean red
    y = siirt.float()
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, 1 - y, y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 48), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(48, 48), nn.ReLU(), nn.Dropout(0.2), nn.Linear(48, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = nuts(1536, g, flip=0.06)
    xva, yva = nuts(384, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    loss_fn = nn.BCEWithLogitsLoss()
    with open(out / "train_log.jsonl", "w") as log:
        for epoch in range(1, 31):
            model.train()
            perm = torch.randperm(1536, generator=g)
            tot = 0.0
            for i in range(0, 1536, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva).squeeze(1)
                vl = loss_fn(lv, yva).item()
                va = ((lv > 0).float() == yva).float().mean().item()
            rec = {"epoch": epoch, "loss": round(tot / 1536, 4), "val_loss": round(vl, 4),
                   "val_accuracy": round(va, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30,
                "feature_mean": mu, "feature_std": sd}, out / "pistachio_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="pistachio_mlp.pth",
           log="train_log.jsonl",
           what="MLP telling Kirmizi from Siirt pistachios by shape and colour, 6 % wrong labels"
                " (healthy)")


if __name__ == "__main__":
    main()
