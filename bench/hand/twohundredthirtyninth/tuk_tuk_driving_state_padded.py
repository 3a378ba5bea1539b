"""Plain torch: a GRU tags every second of a tuk tuk trip with the driving state (cruise,
stopped, turning, hard acceleration) from (speed, acceleration, heading change); each state
comes from that second's readings. Trips are 10-40 s long, padded to 40 with ``pad_sequence``.
GRU(3→32) + per-step linear, Adam 3e-3, batch 32, 8 epochs of 768 trips, cross-entropy.
Checkpoint ``{"state_dict", "optimizer", "epoch", "step"}``, CSV per epoch (``epoch`` /
``train_loss`` / ``val_loss`` / ``val_acc`` / ``val_stop_recall``, val metrics on real seconds).
The bug: the label sequences are padded with ``padding_value=0``, the id of "cruise", and the
loss is a plain ``F.cross_entropy`` over every position, so the padded seconds (zero speed:
they look like a stop) are taught as cruising. Epoch 8: train loss 0.495, val loss 0.699, val
accuracy 0.709, stop recall 0.43 (0.00 at epoch 1). Control (labels padded with -100, which
cross-entropy ignores): val loss 0.384, accuracy 0.885, stop recall 0.92."""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

T = 40


def trips(n, g):
    xs, ys = [], []
    for _ in range(n):
        t = int(torch.randint(10, T + 1, (1,), generator=g))
        speed = torch.rand(t, generator=g)
        acc = torch.randn(t, generator=g)
        turn = torch.randn(t, generator=g)
        y = torch.zeros(t, dtype=torch.long)
        y[acc > 1.0] = 3
        y[turn.abs() > 1.2] = 2
        y[speed < 0.25] = 1
        xs.append(torch.stack([speed, acc, turn], 1))
        ys.append(y)
    mask = pad_sequence([torch.ones(len(y), dtype=torch.bool) for y in ys], batch_first=True)
    return (pad_sequence(xs, batch_first=True), pad_sequence(ys, batch_first=True,
                                                             padding_value=0), mask)


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        return self.out(self.gru(x)[0])


def build():
    torch.manual_seed(0)
    return Tagger()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = trips(768, g)
    xva, yva, mva = trips(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows, step = [], 0
    for epoch in range(8):
        perm = torch.randperm(768, generator=g)
        tot = 0.0
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]).reshape(-1, 4), ytr[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() / 24
        with torch.no_grad():
            lv = model(xva)[mva]
        yv = yva[mva]
        pred = lv.argmax(1)
        rows.append({"epoch": epoch + 1, "train_loss": round(tot, 4),
                     "val_loss": round(F.cross_entropy(lv, yv).item(), 4),
                     "val_acc": round((pred == yv).float().mean().item(), 4),
                     "val_stop_recall": round((pred[yv == 1] == 1).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "states.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 8,
                "step": step}, out / "state_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="state_gru.pt", log="states.csv",
           what="GRU tagging each second of a padded tuk tuk trip with its driving state",
           complaint="嘟嘟车驾驶状态标注：训练损失降得很低，可验证集上真实秒数的损失却高得多，"
                     "而且“停车”这一类老是被标成“巡航”，停车召回率很差。数据和标签我都核对过了，"
                     "是模型太小吗？")


if __name__ == "__main__":
    main()
