"""Plain torch: a 1-D CNN with batch norm tells the tucker (the fuller) when a piece of woollen
cloth in the fulling stocks is done, from the drive motor's torque over one 4 s window (96
samples): under-fulled (keep beating), ready (take it out), over-fulled (boardy, shrunk past
the order). The stocks' hammers fall about 1.1-1.5 times a second; as the wool felts, the
cloth under the hammer stiffens, so each beat's torque peak gets taller and sharper, the
rebound after it deeper, and the baseline between beats rises with the soap thinned out.
The felting degree (0-1) sets the shape; labels by the tucker's rule (under < 0.4 ≤ ready <
0.7 ≤ over), with the hammer rate, the piece's weight, a mains hum and sensor noise on top.
Input: (1, 96) torque / rated torque, minus 0.5. Model: Conv1d 1→16 (k7) + BN + ReLU +
MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global
average pool, Linear 32→3; cross-entropy, Adam 1e-3, 6 epochs, 960 windows, validation on 320.
The bug: ``batch_size=1`` in the training loader (one piece at a time, as it comes off the
stocks); every BatchNorm layer normalises over a single window, so in training each window's
own level and peak height (what tells the felting apart) are normalised away, and the running
statistics used at evaluation do not match what the layers saw: train
CE 1.00 → 0.38 (train acc 0.51 → 0.87), but val acc 0.68 → 0.83 (epoch 2) → 0.46 at the end,
val CE 0.94 → 0.67 → 1.06 (control, ``batch_size=32``: train CE 0.78 → 0.30, val acc 0.69 →
0.90, val CE 0.70 → 0.27).
Log: TSV per epoch ``stocks_train.tsv`` (``epoch`` / ``train_ce`` / ``train_acc`` /
``val_ce`` / ``val_acc`` / ``val_acc_ready``); checkpoint ``fulling_cnn.ckpt`` with keys
``model_state`` / ``optim_state`` / ``epoch`` / ``classes`` / ``torque_offset``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 96
FS = 24.0
CLASSES = ["under-fulled", "ready", "over-fulled"]


def torque_windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    felt = r(n, 1)
    rate = 1.1 + 0.4 * r(n, 1)
    weight = 0.8 + 0.4 * r(n, 1)
    t = torch.arange(N).float() / FS
    phase = (rate * t + r(n, 1)) % 1.0
    width = 0.16 - 0.09 * felt
    peak = weight * (0.5 + 0.9 * felt) * torch.exp(-(phase / width) ** 2)
    rebound = -0.25 * felt * weight * torch.exp(-((phase - 2.2 * width) / width) ** 2)
    base = 0.2 + 0.25 * felt + 0.05 * r(n, 1)
    hum = 0.04 * torch.sin(2 * math.pi * 5.0 * t + 2 * math.pi * r(n, 1))
    x = base + peak + rebound + hum + 0.05 * torch.randn(n, N, generator=g)
    y = torch.bucketize(felt[:, 0], torch.tensor([0.4, 0.7]))
    return (x - 0.5).unsqueeze(1), y


class StocksCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.features(x).mean(2))


def build():
    torch.manual_seed(0)
    return StocksCNN()


def main():
    from _threehundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = torque_windows(960, g)
    xva, yva = torque_windows(320, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=1, shuffle=True)  # one piece at a time, as it comes off the stocks
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "stocks_train.tsv", "w") as log:
        log.write("epoch\ttrain_ce\ttrain_acc\tval_ce\tval_acc\tval_acc_ready\n")
        for epoch in range(6):
            model.train()
            tot, hit, n = 0.0, 0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = lv.argmax(1)
            row = [tot / n, hit / n, F.cross_entropy(lv, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 1] == 1).float().mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 6,
                "classes": CLASSES, "torque_offset": 0.5}, out / "fulling_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="fulling_cnn.ckpt", log="stocks_train.tsv",
           what="1-D CNN with batch norm judging fulling-stock torque (under / ready / over-fulled);"
                " trained with batches of 2",
           complaint='The fulling-stock classifier trains fine, training accuracy goes up every epoch to 0.87, but on the validation windows it is all over the place: 0.68, 0.73, 0.83, 0.79, 0.67 and 0.46 at the last epoch, and val loss went from 0.94 down to 0.67 and then up to 1.06. The validation windows come from the same mills and the same simulator settings. Is it overfitting already after 6 epochs?')


if __name__ == "__main__":
    main()
