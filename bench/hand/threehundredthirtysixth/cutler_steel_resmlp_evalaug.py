"""Plain torch: a residual MLP names the blade steel of a knife blank from a handheld XRF
reading, so a cutler can sort mixed stock bought at auction: 1095, 420HC, AEB-L, 440C, VG-10,
D2, S30V, M390. The gun reports wt % of Cr, Mo, V, W, Co, Mn, Ni and Si (no carbon: XRF
cannot see it); each grade has its nominal chemistry, each heat varies within spec (±8 %
of each element, ±0.05 wt % absolute), and the reading carries the gun's scatter (2 %
relative plus 0.04 wt %).
Input: (8,) wt %, log1p-scaled and standardised with the training mean and spread. Model:
Linear 8→64, 3 residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64, added back),
LayerNorm, Linear 64→8; cross-entropy, AdamW 1e-3 (weight decay 1e-4) with OneCycleLR,
batch 64, 24 epochs of 1600 readings, validation on 400. Training readings are augmented the
way the gun misbehaves in the shop: a gain error ×0.8-1.2 on the whole reading (distance,
curved blank), 0.15 wt % of background scatter on every element and, for 40 % of readings,
one element read as 0 (peak under the detection limit).
The bug: the validation set is built with ``val_set = XRFReadings(xva, yva,
augment=True)`` (``# same pipeline as the training readings``), so every evaluation scores
freshly jittered readings, 40 % of them with an element missing: val accuracy 0.375 → 0.945
at best and 0.9125 at the end, AEB-L / 420HC 0.68-0.84 from epoch 2, val CE 0.16-0.24 over
the last ten epochs, jumping about while the learning rate runs down to zero (control,
``augment=False``: val accuracy 0.62 → 1.0 from epoch 1, AEB-L / 420HC 0.98-1.0, val CE
1.62 → 0.051).
Log: CSV per epoch ``sorting_log.csv`` (``epoch`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_aebl_420hc``); checkpoint ``xrf_grade.tar`` with keys ``resmlp`` /
``adamw`` / ``onecycle`` / ``epoch`` / ``grades`` / ``elements`` / ``feat_mean`` /
``feat_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

ELEMENTS = ["Cr", "Mo", "V", "W", "Co", "Mn", "Ni", "Si"]
GRADES = {"1095": [0.0, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0, 0.2],
          "420HC": [13.0, 0.0, 0.1, 0.0, 0.0, 0.8, 0.3, 0.5],
          "AEB-L": [13.0, 0.0, 0.0, 0.0, 0.0, 0.7, 0.0, 0.4],
          "440C": [17.0, 0.6, 0.0, 0.0, 0.0, 0.8, 0.0, 0.6],
          "VG-10": [15.0, 1.0, 0.2, 0.0, 1.5, 0.4, 0.0, 0.4],
          "D2": [12.0, 0.9, 0.9, 0.0, 0.0, 0.4, 0.0, 0.3],
          "S30V": [14.0, 2.0, 4.0, 0.0, 0.0, 0.4, 0.0, 0.4],
          "M390": [20.0, 1.0, 4.0, 0.6, 0.0, 0.3, 0.0, 0.7]}


def readings(n, g):
    nominal = torch.tensor(list(GRADES.values()))
    cls = torch.randint(0, len(GRADES), (n,), generator=g)
    base = nominal[cls]
    heat = base * (1 + 0.08 * (2 * torch.rand(n, 8, generator=g) - 1))
    heat = (heat + 0.05 * (2 * torch.rand(n, 8, generator=g) - 1) * (base > 0)).clamp(min=0)
    read = heat * (1 + 0.02 * torch.randn(n, 8, generator=g)) + 0.04 * torch.randn(n, 8, generator=g)
    return read.clamp(min=0), cls


class XRFReadings(Dataset):
    def __init__(self, wt, grade, augment, seed=0):
        self.wt, self.grade, self.augment = wt, grade, augment
        self.g = torch.Generator().manual_seed(seed)

    def __len__(self):
        return len(self.wt)

    def __getitem__(self, i):
        wt = self.wt[i].clone()
        if self.augment:
            wt = wt * (0.8 + 0.4 * torch.rand(1, generator=self.g))
            wt = (wt + 0.15 * torch.randn(8, generator=self.g)).clamp(min=0)
            if torch.rand(1, generator=self.g) < 0.4:
                wt[torch.randint(0, 8, (1,), generator=self.g)] = 0.0
        return (torch.log1p(wt) - FEAT_MEAN) / FEAT_STD, self.grade[i]


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.up, self.down = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.down(F.gelu(self.up(self.norm(x))))


class SteelResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.head = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, len(GRADES)))

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))


def build():
    torch.manual_seed(0)
    return SteelResMLP()


FEAT_MEAN, FEAT_STD = torch.zeros(8), torch.ones(8)


def main():
    global FEAT_MEAN, FEAT_STD
    from _threehundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = readings(1600, g)
    xva, yva = readings(400, g)
    FEAT_MEAN, FEAT_STD = torch.log1p(xtr).mean(0), torch.log1p(xtr).std(0)
    train_set = XRFReadings(xtr, ytr, augment=True, seed=1)
    val_set = XRFReadings(xva, yva, augment=True)  # same pipeline as the training readings
    torch.manual_seed(0)
    model = build()
    train_dl = DataLoader(train_set, batch_size=64, shuffle=True)
    val_dl = DataLoader(val_set, batch_size=400)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=24 * len(train_dl))
    pair = torch.tensor([1, 2])
    with open(out / "sorting_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr", "loss", "val_loss", "val_acc", "val_acc_aebl_420hc"])
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                xb, yb = next(iter(val_dl))
                logits = model(xb)
                vl = F.cross_entropy(logits, yb).item()
                pred = logits.argmax(1)
                acc = (pred == yb).float().mean().item()
                sel = torch.isin(yb, pair)
                acc_pair = (pred[sel] == yb[sel]).float().mean().item()
            log.writerow([epoch, f"{sched.get_last_lr()[0]:.6g}", f"{tot / len(xtr):.6f}",
                          f"{vl:.6f}", f"{acc:.4f}", f"{acc_pair:.4f}"])
            print(epoch, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4), round(acc_pair, 4))
    torch.save({"resmlp": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 24, "grades": list(GRADES),
                "elements": ELEMENTS, "feat_mean": FEAT_MEAN, "feat_std": FEAT_STD},
               out / "xrf_grade.tar")
    batch = next(iter(DataLoader(val_set, batch_size=64)))
    finish(out, __file__, batch, causes=["eval_data_augmented"],
           checkpoint="xrf_grade.tar", log="sorting_log.csv",
           what="residual MLP naming a knife blank's steel grade from a handheld XRF reading,"
                " validation readings put through the training augmentation",
           complaint="Our XRF steel sorter tops out around 94 % validation accuracy and the number"
                     " won't sit still: 0.92, 0.94, 0.945, 0.94, 0.9125 over the last five epochs,"
                     " even though the one-cycle schedule has the learning rate at practically"
                     " zero by then. Val loss wobbles between 0.16 and 0.24. AEB-L and 420HC get"
                     " mixed up a lot (68-84 % on those two). When I run the finished model over"
                     " the same validation readings twice I get different accuracies. The"
                     " chemistries are quite different on paper; is the XRF just too noisy for"
                     " this?")


if __name__ == "__main__":
    main()
