"""Mid-price direction from limit order book snapshots (a DeepLOB-lite): 10 price levels per side,
each with price and size (40 features), the last 30 events, labelled by the mean mid-price
over the next 20 events against the current one: down / stationary / up (threshold ±0.2 tick).
Synthetic book: the mid-price walks in ticks, a latent order-flow imbalance (an AR(1) process)
tilts the sizes of the top 3 levels toward the bid or the ask side and drives the next moves;
prices are stored relative to the current mid (in ticks), sizes as log sizes, and each feature
is z-scored with the training statistics. Much of the future is noise, so the best possible
accuracy is well below 1. Model: a conv that pairs (price, size) at each level, a conv over the
10 levels, a 1-D conv over time (k 5), an LSTM of 48 over the 30 events, dropout 0.2, linear
head for 3 classes. Adam 1e-3, batch 64, 8 epochs of 3000 windows; JSON lines every 20 steps
with the train loss, and per epoch val loss, val accuracy and macro-F1.
Healthy, though it looks stuck: val accuracy 0.571 after epoch 1, then 0.59–0.61 (0.5925 at the
end), val loss 0.94 → 0.90–0.92 flat from epoch 2, macro-F1 0.43 (the small "stationary" class,
16 %, is rarely predicted). That is the ceiling of this book: a classifier given the true
latent imbalance at the last event scores 0.605 on the same validation windows."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

LEVELS, WIN, HORIZON = 10, 30, 20


def book(n, g):
    steps = WIN + HORIZON
    imb = torch.zeros(n, steps)
    e = torch.randn(n, steps, generator=g)
    for t in range(1, steps):
        imb[:, t] = 0.9 * imb[:, t - 1] + 0.45 * e[:, t]
    moves = 0.5 * imb + 0.6 * torch.randn(n, steps, generator=g)   # ticks per event
    mid = torch.cumsum(moves, 1)
    lvl = torch.arange(LEVELS).float()
    spread = 0.5 + 0.5 * torch.rand(n, steps, 1, generator=g)
    ask_p = spread + lvl + 0.1 * torch.randn(n, steps, LEVELS, generator=g)
    bid_p = -spread - lvl - 0.1 * torch.randn(n, steps, LEVELS, generator=g)
    tilt = torch.zeros(LEVELS)
    tilt[:3] = torch.tensor([1.0, 0.6, 0.3])
    base = 3 + 0.15 * lvl
    ask_s = base - imb[..., None] * tilt + 0.5 * torch.randn(n, steps, LEVELS, generator=g)
    bid_s = base + imb[..., None] * tilt + 0.5 * torch.randn(n, steps, LEVELS, generator=g)
    x = torch.stack([ask_p, ask_s, bid_p, bid_s], -1)[:, :WIN].reshape(n, WIN, 4 * LEVELS)
    ret = mid[:, WIN:].mean(1) - mid[:, WIN - 1]
    y = torch.ones(n, dtype=torch.long)
    y[ret < -0.2 * HORIZON ** 0.5] = 0
    y[ret > 0.2 * HORIZON ** 0.5] = 2
    return x, y


class DeepLOBLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.pair = nn.Conv2d(1, 16, (1, 2), stride=(1, 2))          # (price, size) → 16
        self.levels = nn.Conv2d(16, 16, (1, 2 * LEVELS))             # all 20 (side, level) slots
        self.time = nn.Conv1d(16, 32, 5, padding=2)
        self.lstm = nn.LSTM(32, 48, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(48, 3)

    def forward(self, x):                                             # x (B, WIN, 40)
        h = F.leaky_relu(self.pair(x[:, None]), 0.01)                 # (B, 16, WIN, 20)
        h = F.leaky_relu(self.levels(h), 0.01).squeeze(-1)           # (B, 16, WIN)
        h = F.leaky_relu(self.time(h), 0.01).transpose(1, 2)         # (B, WIN, 32)
        out, _ = self.lstm(h)
        return self.head(self.drop(out[:, -1]))


def build():
    torch.manual_seed(0)
    return DeepLOBLite()


def macro_f1(p, y):
    f = []
    for k in range(3):
        tp = ((p == k) & (y == k)).sum().item()
        f.append(2 * tp / max(2 * tp + ((p == k) & (y != k)).sum().item()
                              + ((p != k) & (y == k)).sum().item(), 1))
    return sum(f) / 3


def main():
    from _hundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = book(3800, g)
    mu, sd = x[:3000].mean((0, 1)), x[:3000].std((0, 1))
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    print("label shares", torch.bincount(y, minlength=3) / len(y))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "lob_train.jsonl", "w")
    step = 0
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(len(xtr))
        run = []
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            run.append(loss.item())
            if step % 20 == 0:
                log.write(json.dumps({"step": step, "train/loss": round(sum(run) / len(run), 4)})
                          + "\n")
                run = []
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"step": step, "epoch": epoch, "val/loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val/acc": round((lo.argmax(1) == yva).float().mean().item(), 4),
                   "val/macro_f1": round(macro_f1(lo.argmax(1), yva), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "step": step, "epoch": 8, "feature_mean": mu, "feature_std": sd,
                "levels": LEVELS, "window": WIN, "horizon": HORIZON}, out / "deeplob_lite.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="deeplob_lite.ckpt",
           log="lob_train.jsonl",
           what="DeepLOB-lite mid-price direction from 10-level order books (healthy)")


if __name__ == "__main__":
    main()
