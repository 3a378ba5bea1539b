"""Plain torch: a 1-D CNN without batch norm tells a lighterman whether a loaded lighter left
at a tidal drying berth on the Thames will take the ground at the next low water (and so
must be moved off before the ebb, or the berth's hard bed will strain her), from the last
12.5 h of the berth's tide gauge (one reading every 15 min, 50 readings) and the depth the
barge needs (her loaded draught above the berth's bed level). The tide: mean level plus a
semi-diurnal lunar (M2, 12.42 h) and solar (S2, 12.00 h) wave whose beat gives springs and
neaps (range about 4.5-7 m), a shallow-water quarter-diurnal wave that lengthens the ebb,
a river freshet that lifts the low waters more than the highs, and gauge noise of 5 cm.
The label: the next low water after the record (found on a 1-minute grid of the same tide)
is below the barge's needed depth.
Input: (2, 50): gauge height and needed depth, both (m - 3.5) / 2. Model: Conv1d 2→16 (k5)
+ ReLU + MaxPool2, Conv1d 16→32 (k5) + ReLU + MaxPool2, Conv1d 32→32 (k3) + ReLU, flatten,
Linear 320→32 + ReLU, Linear 32→1; BCE with logits, Adam 2e-3, StepLR(step_size=4,
gamma=0.5) meant to halve the rate every 4 epochs, batch 50, 16 epochs, 2000 records,
validation on 500.
The bug: ``sched.step()`` sits at the end of the batch loop, so the rate halves every 4
batches instead of every 4 epochs; with 40 batches an epoch it is 2e-6 by the end of the
first epoch and 1e-48 at the end; the net stops where its first 20-odd batches left it:
training BCE 0.652, then 0.643 every epoch, val BCE 0.642 and val acc 0.650 (aground recall
0.52) every epoch (control, ``sched.step()`` at the end of the epoch: val BCE 0.547 → 0.307,
val acc 0.776 → 0.856, aground recall 0.68 → 0.80).
Log: CSV per epoch ``berth_fit.csv`` (``epoch`` / ``lr`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_recall_aground``); checkpoint ``lw_cnn.pt`` with keys ``cnn`` / ``opt``
/ ``steplr`` / ``epoch`` / ``gauge_offset_m`` / ``gauge_scale_m``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = 50
DT = 0.25  # hours between gauge readings


def tide(t, p):
    w2, ws = 2 * math.pi / 12.42, 2 * math.pi / 12.0
    h = (p["msl"] + p["a2"] * torch.cos(w2 * t + p["ph"]) + p["as"] * torch.cos(ws * t + p["ps"])
         + 0.25 * torch.cos(2 * w2 * t + 2 * p["ph"] + 1.2))
    low = (torch.cos(w2 * t + p["ph"]) < 0).float()
    return h + p["fresh"] * (0.3 + 0.7 * low)


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    p = {"msl": 3.4 + 0.2 * r(n, 1), "a2": 2.6 + 0.4 * r(n, 1), "as": 0.55 + 0.2 * r(n, 1),
         "ph": 2 * math.pi * r(n, 1), "ps": 2 * math.pi * r(n, 1), "fresh": 0.6 * r(n, 1) ** 2}
    t = DT * torch.arange(STEPS).float()
    gauge = tide(t, p) + 0.05 * torch.randn(n, STEPS, generator=g)
    fine = t[-1] + torch.arange(1, 13 * 60).float() / 60
    ahead = tide(fine, p)
    dip = (ahead[:, 1:-1] < ahead[:, :-2]) & (ahead[:, 1:-1] <= ahead[:, 2:])
    first = dip.float().argmax(1) + 1
    next_lw = ahead.gather(1, first.unsqueeze(1)).squeeze(1)
    need = next_lw + 2.0 * (r(n) - 0.5)  # the barges were left at berths of every kind
    x = torch.stack([gauge, need.unsqueeze(1).expand(n, STEPS)], 1)
    return (x - 3.5) / 2, (next_lw < need).float().unsqueeze(1)


class BerthCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 12, 32), nn.ReLU(),
                                  nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return BerthCNN()


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(2000, g)
    xva, yva = records(500, g)
    print("aground share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
    with open(out / "berth_fit.csv", "w") as log:
        log.write("epoch,lr,train_bce,val_bce,val_acc,val_recall_aground\n")
        for epoch in range(16):
            model.train()
            lr = opt.param_groups[0]["lr"]
            tot, seen = 0.0, 0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, seen = tot + loss.item() * len(yb), seen + len(yb)
                sched.step()  # halve the rate every 4
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = [tot / seen, F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (pred == yva).float().mean().item(), pred[yva == 1].mean().item()]
            log.write(f"{epoch},{lr:.3e}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, f"{lr:.2e}", [round(v, 4) for v in row])
    torch.save({"cnn": model.state_dict(), "opt": opt.state_dict(), "steplr": sched.state_dict(),
                "epoch": 16, "gauge_offset_m": 3.5, "gauge_scale_m": 2.0}, out / "lw_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="lw_cnn.pt", log="berth_fit.csv",
           what="1-D CNN without batch norm saying whether a loaded lighter will take the ground"
                " at its drying berth at the next low water; StepLR stepped every batch",
           complaint="我的驳船搁浅预测 CNN 训练根本不动：第一个 epoch 之后 train BCE 一直是"
                     " 0.643，val BCE 一直是 0.642，val 准确率每个 epoch 都是 0.65，小数点后四位都"
                     "不变，跑了 16 个 epoch 也一样。数据是平衡的（大约一半会搁浅），模型好像根本"
                     "没在学习，这是怎么回事？")


if __name__ == "__main__":
    main()
