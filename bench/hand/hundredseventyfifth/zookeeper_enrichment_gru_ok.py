"""Plain torch: a GRU tags which enrichment items a zoo's big cats actually used during a day
(multi-label: puzzle feeder, scent trail, ice block, hanging ball) from a zookeeper's
activity-sensor log: 48 half-hour steps × 5 features (accelerometer activity, time near the
feeder station, time in the pool area, climbing-platform occupancy, ambient temperature). Each
item leaves its own trace (a feeder session is a burst of activity near the feeder, an ice block
a pool-area visit on a hot afternoon, ...) at a random time of day; items are independent
(0–4 per day), and 6 % of the keeper's ticks are wrong.
GRU(5→48, 1 layer), Linear(48→4), BCEWithLogitsLoss; Adam 3e-3, batch 64, 15 epochs of 1024
days, gradient clipping at 1.0.
Healthy, with a plateau: for 5 epochs the GRU predicts "not used" for every item (val BCE
0.674 → 0.670, micro-F1 0.0), then it picks the traces up: val micro-F1 0.44 at epoch 6, 0.69 at
10, 0.76 at 15, val BCE 0.36 (train BCE 0.46, above it because of the 6 % wrong ticks), exact
match 0.45."""
import json

import torch
import torch.nn as nn

T, ITEMS = 48, 4


def days(n, g, flip=0.0):
    t = torch.arange(T).float().view(1, T)
    y = (torch.rand(n, ITEMS, generator=g) < 0.4).float()
    temp = 20 + 8 * torch.sin(6.28 * (t - 14) / T) + 3 * torch.randn(n, 1, generator=g)
    act = 0.3 + 0.25 * torch.randn(n, T, generator=g)
    feeder = 0.1 * torch.rand(n, T, generator=g)
    pool = 0.1 * torch.rand(n, T, generator=g) + 0.02 * (temp - 20).clamp(min=0)
    climb = 0.2 * (torch.rand(n, T, generator=g) < 0.1).float()
    t0 = torch.randint(4, T - 8, (n, ITEMS), generator=g).float()
    for j in range(ITEMS):
        on = (((t - t0[:, j:j + 1]) >= 0) & ((t - t0[:, j:j + 1]) < 4)).float() * y[:, j:j + 1]
        if j == 0:
            feeder = feeder + 0.8 * on
            act = act + 0.6 * on
        elif j == 1:
            act = act + 0.4 * on * torch.rand(n, T, generator=g) * 2
            climb = climb + 0.3 * on
        elif j == 2:
            pool = pool + 0.7 * on
        else:
            climb = climb + 0.8 * on
            act = act + 0.5 * on
    x = torch.stack([act, feeder, pool, climb, (temp - 20) / 8 + 0 * act], 2)
    wrong = torch.rand(n, ITEMS, generator=g) < flip
    return x, torch.where(wrong, 1 - y, y)


class EnrichmentGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.out = nn.Linear(48, ITEMS)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


def build():
    torch.manual_seed(0)
    return EnrichmentGRU()


def main():
    from _hundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1024, g, flip=0.06)
    xva, yva = days(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    log = open(out / "enrichment_log.jsonl", "w")
    for epoch in range(1, 16):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        pred = (lv > 0).float()
        tp = (pred * yva).sum()
        f1 = (2 * tp / (pred.sum() + yva.sum())).item()
        rec = {"epoch": epoch, "bce": round(tot / 1024, 4),
               "val_bce": round(loss_fn(lv, yva).item(), 4), "val_micro_f1": round(f1, 4),
               "val_exact": round((pred == yva).all(1).float().mean().item(), 4)}
        print(rec)
        log.write(json.dumps(rec) + "\n")
    log.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 15}, out / "enrichment_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="enrichment_gru.pt",
           log="enrichment_log.jsonl",
           what="GRU multi-label tagger of zoo enrichment items used, 6 % wrong ticks (healthy)")


if __name__ == "__main__":
    main()
