"""Plain torch: an MLP reads the ring of a slate block under the splitter's tap hammer and
flags three faults at once (multi-label), before the block is split into roofing slates:
a hidden crack (the plate's fundamental splits into two peaks about 6 % apart and the
damping rises), a pyrite inclusion (a narrow extra ring in the 6.5-8.5 kHz band) and a
shaly, delaminating block (a dull low hump under 1.5 kHz and weaker overtones). A sound
block rings at a fundamental set by its thickness and size (1.2-3.0 kHz) with plate
overtones at 2.76× and 5.4×. The input is the tap's log-magnitude spectrum in 64 bands
(0.5-10 kHz), levels in dB / 20 around the block's mean. Faults occur in 30 % / 20 % / 25 %
of blocks, independently.
Training uses the yard's augmentation (random hammer gain ±6 dB, a ±2-band shift for
microphone placement, one masked stretch of 9 bands, room noise). Model: Linear 64→128,
ReLU, Dropout 0.1, Linear 128→64, ReLU, Linear 64→3 logits; BCE, RMSprop 1e-3, batch 128,
14 epochs, 2400 blocks, validation on 600.
The bug: the validation set is built as ``TapSpectra(xva, yva, augment=True)``, so every
evaluation scores randomly gained, shifted and masked spectra: val exact-match 0.70 → 0.90
(0.82-0.92 from epoch 3, jumping between epochs), pyrite F1 0.20 → 0.81, crack F1 0.72 →
0.96, val BCE 0.330 → 0.113 (control, ``augment=False``: val exact-match 0.755 → 0.967,
pyrite F1 0.15 → 0.91, crack F1 0.86 → 1.0, val BCE 0.304 → 0.050).
Log: JSON lines ``tap_log.jsonl`` with ``{"type": "step", ...}`` every 6 steps and
``{"type": "val", epoch, val_bce, val_exact, f1_crack, f1_pyrite, f1_shaly}`` per epoch;
checkpoint ``tap_mlp.pt`` with keys ``mlp`` / ``rmsprop`` / ``epoch`` / ``faults`` /
``bands_hz``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

FAULTS = ["crack", "pyrite", "shaly"]
HZ = torch.logspace(math.log10(500), 4, 64)


def blocks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < torch.tensor([0.3, 0.2, 0.25])).float()
    crack, pyr, shaly = y[:, :1], y[:, 1:2], y[:, 2:]
    f0 = 1200 + 1800 * r(n, 1)
    width = 0.03 * (1 + 1.5 * crack) * f0
    lf = torch.log(HZ)

    def peak(fc, bw, a):
        return a * torch.exp(-0.5 * ((HZ - fc) / bw) ** 2)

    s = (peak(f0 * (1 - 0.03 * crack), width, 1.0) + peak(f0 * 1.03, width, crack * 0.9)
         + peak(2.76 * f0, 2.76 * width, 0.6 * (1 - 0.5 * shaly))
         + peak(5.4 * f0, 5.4 * width, 0.35 * (1 - 0.5 * shaly))
         + peak(6500 + 2000 * r(n, 1), 350, 0.7 * pyr)
         + shaly * 0.4 * torch.exp(-0.5 * ((lf - math.log(900)) / 0.35) ** 2) + 0.02)
    db = 20 * torch.log10(s) + 1.0 * torch.randn(n, 64, generator=g)
    db = db - db.mean(1, keepdim=True)
    return db / 20, y


class TapSpectra(Dataset):
    def __init__(self, x, y, augment):
        self.x, self.y, self.augment = x, y, augment

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.augment:
            x = x + (torch.rand(1) - 0.5) * 0.6  # hammer gain, ±6 dB
            x = torch.roll(x, int(torch.randint(-2, 3, (1,))))  # mic placement
            s = int(torch.randint(0, 55, (1,)))
            x = torch.cat([x[:s], torch.full((9,), float(x.min())), x[s + 9:]])
            x = x + 0.08 * torch.randn(64)  # room noise
        return x, self.y[i]


class TapMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return TapMLP()


def f1(p, t):
    tp = (p * t).sum().item()
    return 2 * tp / max(p.sum().item() + t.sum().item(), 1)


def main():
    from _fourhundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = blocks(2400, g)
    xva, yva = blocks(600, g)
    print("fault shares", ytr.mean(0).tolist())
    torch.manual_seed(0)
    tr = TapSpectra(xtr, ytr, augment=True)
    va = TapSpectra(xva, yva, augment=True)  # same preprocessing as the training set
    dl = DataLoader(tr, batch_size=128, shuffle=True)
    vdl = DataLoader(va, batch_size=200)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "tap_log.jsonl", "w") as log:
        for epoch in range(14):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 6 == 0:
                    log.write(json.dumps({"type": "step", "step": step, "bce": round(loss.item(), 5)}) + "\n")
                step += 1
            model.eval()
            logits, ys = [], []
            with torch.no_grad():
                for xb, yb in vdl:
                    logits.append(model(xb))
                    ys.append(yb)
            logits, ys = torch.cat(logits), torch.cat(ys)
            p = (logits > 0).float()
            rec = {"type": "val", "epoch": epoch, "val_bce": round(crit(logits, ys).item(), 5),
                   "val_exact": round((p == ys).all(1).float().mean().item(), 4)}
            for k, name in enumerate(FAULTS):
                rec[f"f1_{name}"] = round(f1(p[:, k], ys[:, k]), 4)
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"mlp": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 14,
                "faults": FAULTS, "bands_hz": HZ}, out / "tap_mlp.pt")
    xb, yb = next(iter(DataLoader(va, batch_size=64)))  # as the evaluation sees them
    finish(out, __file__, (xb, yb), causes=["eval_data_augmented"],
           checkpoint="tap_mlp.pt", log="tap_log.jsonl",
           what="MLP flagging crack / pyrite / shaly faults in a slate block from its tap"
                " spectrum; the validation set goes through the training augmentation",
           complaint="Our slate tap-test model plateaus at about 90 % exact match on the"
                     " validation blocks and the pyrite F1 bounces between 0.6 and 0.82 from epoch"
                     " to epoch (val BCE only gets down to 0.11), even though training loss keeps"
                     " going down. The crack F1 also wobbles around 0.95. The validation"
                     " numbers never settle; is the model just not good enough for pyrite?")


if __name__ == "__main__":
    main()
