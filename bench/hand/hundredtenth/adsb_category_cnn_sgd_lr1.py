"""Aircraft category from ADS-B departure tracks: a 1-D CNN reads the first 64 reports (one
every 8 s) after take-off — barometric altitude, ground speed and vertical rate, standardised
— and says what flew: regional turboprop, business jet, narrow-body or wide-body jet. Each
category has its own initial rate of climb, acceleration and speed schedule (with wide spreads
and overlap: weight, ATC level-offs at 4000–10000 ft, wind), plus receiver noise and a dropped
report or two (held at the last value). Conv1d 3 → 32 → 32 → 64 (k 5) + ReLU, max-pool, global
average, linear head; SGD momentum 0.9, batch 64, 10 epochs of 2000 tracks. JSON-lines log per
epoch.
Bug: ``lr=1.0`` — the author copied the optimizer line from a logistic-regression notebook on
the same features, where lr 1.0 was fine; for the CNN with momentum it is far too high. Train
cross-entropy 10.6 in epoch 1, then 1.40–1.45 (ln 4 = 1.386) for epochs 2–10, val accuracy
0.24–0.26 (chance), val loss 1.39–1.45; the control (lr 0.02) ends at train CE 0.44, val CE
0.47, val accuracy 0.79 (0.83 at epoch 9)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 64
CATEGORIES = ["turboprop", "bizjet", "narrowbody", "widebody"]
# initial climb ft/min, final ground speed kt, acceleration kt/report, top of the schedule ft
SPEC = torch.tensor([[1400., 250., 3.0, 16000.], [3200., 330., 5.0, 30000.],
                     [2300., 310., 4.0, 24000.], [1700., 320., 3.0, 22000.]])


def tracks(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    s = SPEC[y] * (1 + 0.12 * torch.randn(n, 4, generator=g))
    t = torch.arange(T).float()
    v0 = 140 + 20 * torch.rand(n, 1, generator=g)
    gs = torch.minimum(v0 + s[:, 2:3] * t, s[:, 1:2]) + 15 * torch.randn(n, 1, generator=g)
    rate = s[:, 0:1] * torch.exp(-t / (40 + 20 * torch.rand(n, 1, generator=g)))
    level = 4000 + 6000 * torch.rand(n, 1, generator=g)
    alt = torch.cumsum(rate * 8 / 60, 1)
    hold = (alt > level) & (t < 12 + 20 * torch.rand(n, 1, generator=g))
    alt = torch.where(hold, level, alt)
    vs = torch.diff(alt, dim=1, prepend=alt[:, :1]) * 60 / 8
    x = torch.stack([alt / 1000, gs / 100, vs / 1000], 1)
    x = x + 0.05 * torch.randn(x.shape, generator=g)
    drop = torch.rand(n, 1, T, generator=g) < 0.03
    x = torch.where(drop, torch.roll(x, 1, 2), x)
    return x, y


class TrackCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(3, 32, 5, padding=2)
        self.c2 = nn.Conv1d(32, 32, 5, padding=2)
        self.c3 = nn.Conv1d(32, 64, 5, padding=2)
        self.fc = nn.Linear(64, 4)

    def forward(self, x):
        h = F.relu(self.c1(x))
        h = F.max_pool1d(F.relu(self.c2(h)), 2)
        h = F.relu(self.c3(h)).mean(-1)
        return self.fc(h)


def build():
    torch.manual_seed(0)
    return TrackCNN()


def main():
    from _hundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tracks(2500, g)
    mu, sd = x[:2000].mean((0, 2), keepdim=True), x[:2000].std((0, 2), keepdim=True)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    log = open(out / "adsb_train.jsonl", "w")
    for ep in range(10):
        model.train()
        perm = torch.randperm(2000, generator=g)
        tot = 0.0
        for i in range(0, 2000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"ep": ep + 1, "train_xent": tot / 2000, "val_xent": F.cross_entropy(lo, yva).item(),
                   "val_top1": (lo.argmax(1) == yva).float().mean().item()}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "epoch": 10,
                "categories": CATEGORIES, "norm": (mu, sd)}, out / "adsb_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="adsb_cnn.pt", log="adsb_train.jsonl",
           what="ADS-B aircraft-category 1-D CNN, SGD momentum 0.9 at lr 1.0",
           complaint="我的ADS-B机型分类CNN根本不学:第一个epoch训练交叉熵是10.6,之后九个epoch一直停在"
                     "1.40–1.43左右,验证准确率只有0.25,四个类别等于瞎猜,十个epoch没有任何进步。")


if __name__ == "__main__":
    main()
