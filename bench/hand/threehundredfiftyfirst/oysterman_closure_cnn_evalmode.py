"""Plain torch: a 1-D CNN with batch norm tells an oysterman whether his growing area will be
closed to harvest tomorrow, from the last 48 h of the buoy in the estuary (hourly rainfall at
the gauge up the river in mm, salinity in psu, water temperature in °C, turbidity in NTU).
The shellfish authority's management plan closes the area after heavy rain (more than 20 mm
in the last 24 h) or when a freshwater plume is in (salinity under 18 psu in any of the last
12 h), the buoy's readings being noisy, so the boundary is fuzzy. Input: (4, 48) in the
buoy's own units. Model: Conv1d 4→24 (k5) + BN + ReLU + MaxPool2, Conv1d 24→48 (k5) + BN +
ReLU, global average pool, Dropout 0.3, Linear 48→1; BCE with logits, SGD 0.05 (momentum
0.9), batch 32, 15 epochs, 1500 buoy days, validation on 400.
The bug: the validation helper switches the net to ``model.eval()``, and it is called once
before training (to log the untrained net as epoch -1); nothing switches it back, so every
step runs with the batch-norm layers on their initial running statistics (mean 0, variance
1) and no dropout: the raw salinity (≈ 30) and turbidity (up to ≈ 100) go through the
layers unnormalised: train BCE 0.62 → 0.13 at epoch 12 and back up to 0.18, val BCE 0.431 →
0.159 with jumps (0.259 at epoch 9), val accuracy 0.925 at the end, closed-day recall jumping
between 0.54 and 0.98 after epoch 0 (0.67 at the end) (control, ``model.train()`` at the top of each epoch:
train BCE 0.44 → 0.104, val BCE 0.673 → 0.0715, val accuracy 0.98, recall 0.94).
Log: CSV per epoch ``closure_log.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc``
/ ``val_recall_closed``); checkpoint ``bed_cnn.ckpt.pt`` with keys ``model_state`` /
``optim_state`` / ``epoch`` / ``channels`` / ``rule``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = 48


def buoy_days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(H).float()
    # rain: a few storms of random size and timing
    rain = torch.zeros(n, H)
    for _ in range(3):
        start = (r(n, 1) * H).floor()
        dur = 2 + (r(n, 1) * 10).floor()
        rate = (r(n, 1) ** 2) * 6 * (r(n, 1) < 0.55).float()
        rain = rain + rate * ((t >= start) & (t < start + dur)).float()
    rain = rain * (0.6 + 0.8 * r(n, H))
    # salinity drops some hours after rain (plume), with a tidal swing
    base = 24 + 10 * r(n, 1)
    runoff = torch.zeros(n, H)
    acc = torch.zeros(n)
    for h in range(H):
        acc = 0.9 * acc + (rain[:, h - 6] if h >= 6 else 0.0)
        runoff[:, h] = acc
    sal = base - 0.55 * runoff + 1.5 * torch.sin(2 * 3.1416 * t / 12.4 + 6 * r(n, 1))
    sal = sal.clamp(min=2) + 0.5 * torch.randn(n, H, generator=g)
    temp = 8 + 14 * r(n, 1) + 0.8 * torch.sin(2 * 3.1416 * t / 24) + 0.2 * torch.randn(n, H, generator=g)
    turb = 5 + 3 * runoff + 4 * r(n, H)
    x = torch.stack([rain, sal, temp, turb], 1)
    closed = (rain[:, -24:].sum(1) > 20) | (sal[:, -12:].min(1).values < 18)
    return x, closed.float().unsqueeze(1)


class ClosureCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(4, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
                                      nn.MaxPool1d(2), nn.Conv1d(24, 48, 5, padding=2),
                                      nn.BatchNorm1d(48), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                      nn.Flatten())
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(48, 1))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return ClosureCNN()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    pred = (logits > 0).float()
    return (F.binary_cross_entropy_with_logits(logits, y).item(), (pred == y).float().mean().item(),
            (pred[y == 1] == 1).float().mean().item())


def main():
    from _threehundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = buoy_days(1500, g)
    xva, yva = buoy_days(400, g)
    print("closed share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with open(out / "closure_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_bce", "val_bce", "val_acc", "val_recall_closed"])
        log.writerow([-1, ""] + [f"{v:.6g}" for v in evaluate(model, xva, yva)])
        for epoch in range(15):
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            row = [tot / len(xtr), *evaluate(model, xva, yva)]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 15,
                "channels": ["rain_mm", "salinity_psu", "temp_c", "turbidity_ntu"],
                "rule": "closed if rain 24h > 20 mm or salinity 12h min < 18 psu"},
               out / "bed_cnn.ckpt.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="bed_cnn.ckpt.pt", log="closure_log.csv",
           what="1-D CNN with batch norm predicting an oyster area's harvest closure from 48 h of"
                " buoy readings; the net is left in eval mode for all of training",
           complaint="Harvest-closure CNN on our estuary buoy data: training loss stalls around 0.15-0.18"
                     " and even creeps back up in the last epochs, validation accuracy bounces"
                     " between 0.89 and 0.96 from one epoch to the next, and the recall on closed"
                     " days swings from 0.54 to 0.98 and ends at 0.67. More epochs don't settle it.")


if __name__ == "__main__":
    main()
