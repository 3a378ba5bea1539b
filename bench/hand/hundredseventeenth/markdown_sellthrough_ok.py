"""Retail clearance pricing: predict the share of a store's remaining stock that sells in the
week after a markdown (sell-through, 0–1) for a fashion SKU, on synthetic markdown events: 12
merchandise categories (embedding 6), markdown depth 10–70 %, weeks since launch, weeks left
in season, stock cover (weeks), last week's sell-through, a promo-flyer flag and the store's
footfall index. The true response is a logistic curve in the markdown depth with a
category-specific elasticity, damped by stock cover and season age; the observed share is
binomial-noisy (units sold out of the stock). MLP 6 + 7 → 64 → 64 → 1 with dropout 0.2,
sigmoid output, binary cross-entropy on the share (a soft target), Adam 2e-3, batch 128, 10
epochs of 4000 events; JSON lines per epoch with train BCE, val BCE, val MAE.
Healthy; the val BCE sits below the train BCE (dropout is on in training, and the binomial
noise sets a floor on both)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CAT = 12


def events(n, g):
    cat = torch.randint(0, N_CAT, (n,), generator=g)
    elast = torch.linspace(2.0, 7.0, N_CAT)[torch.randperm(N_CAT, generator=torch.Generator().manual_seed(5))]
    depth = 0.1 + 0.6 * torch.rand(n, generator=g)
    age = torch.randint(2, 20, (n,), generator=g).float()
    left = torch.randint(1, 12, (n,), generator=g).float()
    cover = 1 + 9 * torch.rand(n, generator=g)
    flyer = (torch.rand(n, generator=g) < 0.3).float()
    foot = 0.7 + 0.6 * torch.rand(n, generator=g)
    z = -2.2 + elast[cat] * depth - 0.15 * cover + 0.5 * flyer + 1.2 * (foot - 1) - 0.04 * age \
        + 0.08 * (12 - left)
    p = torch.sigmoid(z)
    stock = torch.randint(8, 60, (n,), generator=g).float()
    share = torch.binomial(stock, p, generator=g) / stock
    prev = (p * (0.6 + 0.4 * torch.rand(n, generator=g))).clamp(0, 1)
    x = torch.stack([depth * 3, age / 10, left / 6, cover / 5, prev * 3, flyer, foot], 1)
    return cat, x, share


class SellThrough(nn.Module):
    def __init__(self):
        super().__init__()
        self.cat = nn.Embedding(N_CAT, 6)
        self.mlp = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1))

    def forward(self, cat, x):
        return self.mlp(torch.cat([self.cat(cat), x], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return SellThrough()


def main():
    from _hundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cat, x, y = events(5000, g)
    va = slice(4000, 5000)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "markdown_log.jsonl", "w")
    for epoch in range(10):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 128):
            idx = perm[i:i + 128]
            loss = F.binary_cross_entropy_with_logits(model(cat[idx], x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(cat[va], x[va])
            rec = {"epoch": epoch, "train_bce": round(tot / 4000, 5),
                   "val_bce": round(F.binary_cross_entropy_with_logits(lo, y[va]).item(), 5),
                   "val_mae": round((torch.sigmoid(lo) - y[va]).abs().mean().item(), 5)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epoch": 10,
                "categories": N_CAT}, out / "sellthrough.pt")
    finish(out, __file__, {"inputs": cat[va][:128], "x": x[va][:128], "targets": y[va][:128]},
           causes=[], checkpoint="sellthrough.pt", log="markdown_log.jsonl",
           what="markdown sell-through MLP with category embeddings, soft-target BCE (healthy)")


if __name__ == "__main__":
    main()
