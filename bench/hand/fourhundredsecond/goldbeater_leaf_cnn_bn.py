"""Plain torch: a 1-D CNN with batch norm sorts beaten gold leaf for a goldbeater's packing
bench from a line scan of the light the leaf lets through on the light table (gold leaf
passes green light; the thinner the leaf, the brighter). 128 readings across one leaf. The
leaf thickness (about 0.12 µm, with a slow beating-skin ripple) sets the transmission by
Beer-Lambert, T = exp(-t / 0.05 µm); a leaf is "thin" (it will tear on the cushion) when
somewhere it falls under 0.075 µm, "thick" (under-beaten, sent back to the mould) when
somewhere it is over 0.175 µm, else "good" (thin wins over thick). Patches come from the
beating: a local dip or bump, 4-20 readings wide, on some leaves; lamp flicker and sensor
noise on all.
Input: (1, 128) transmission / 0.1. Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d
16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k5) + BN + ReLU, global max pool, Linear
32→32 + BatchNorm1d + ReLU, Linear 32→3; cross-entropy, Adam 2e-3, 8 epochs, 960 leaves,
validation on 320.
The bug: the loader gives two leaves a step, ``batch_size=2, shuffle=True)  # leaves per
step``, so every batch norm layer (the one on the 32 head features above all) normalises over
two samples in training and the running statistics used at evaluation do not match what the
net learnt on: val accuracy 0.825 after the first epoch, then 0.67 (every leaf called good,
the good share) with thin recall 0-0.02 from epoch 5, val CE 0.42 → 0.79 (control,
``batch_size=32``: val accuracy 0.86 → 0.94, val CE 0.554 → 0.146, thin recall 0.90-1.0).
Log: JSON lines ``sorting.jsonl``, one line every 40 steps (``{"step", "epoch", "ce"}``) and
one per epoch (``{"epoch", "val_ce", "val_acc", "val_recall_thin"}``); checkpoint
``leaf_sorter.pt`` with keys ``model_state`` / ``adam_state`` / ``epoch`` / ``t_scale`` /
``classes``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 128
CLASSES = ["good", "thin", "thick"]


def leaves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(N).float()
    base = 0.105 + 0.03 * r(n, 1)
    ripple = 0.012 * torch.sin(2 * torch.pi * pos / (30 + 40 * r(n, 1)) + 6.3 * r(n, 1))
    t = base + ripple
    kind = torch.randint(0, 3, (n, 1), generator=g)  # 0 none, 1 dip, 2 bump
    c, w = 10 + (N - 20) * r(n, 1), 2 + 8 * r(n, 1)
    depth = 0.02 + 0.06 * r(n, 1)
    shape = torch.exp(-0.5 * ((pos - c) / w) ** 2)
    t = t - (kind == 1).float() * depth * shape + (kind == 2).float() * depth * shape
    t = t.clamp(min=0.02)
    y = torch.zeros(n, dtype=torch.long)
    y[t.max(1).values > 0.175] = 2
    y[t.min(1).values < 0.075] = 1
    light = 1.0 + 0.05 * (r(n, 1) - 0.5)
    trans = light * torch.exp(-t / 0.05) + 0.003 * torch.randn(n, N, generator=g)
    return (trans / 0.1).unsqueeze(1), y


class LeafCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Linear(32, 3))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return LeafCNN()


def main():
    from _fourhundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = leaves(960, g)
    xva, yva = leaves(320, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=2, shuffle=True)  # leaves per step
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "sorting.jsonl", "w") as log:
        for epoch in range(8):
            model.train()
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 40 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "ce": round(loss.item(), 5)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = lv.argmax(1)
            rec = {"epoch": epoch, "val_ce": round(F.cross_entropy(lv, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 5),
                   "val_recall_thin": round((pred[yva == 1] == 1).float().mean().item(), 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 8,
                "t_scale": 0.1, "classes": CLASSES}, out / "leaf_sorter.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="leaf_sorter.pt", log="sorting.jsonl",
           what="1-D CNN with batch norm sorting gold leaf (good / thin / thick) from a light"
                " table scan; trained two leaves per batch",
           complaint="Our gold leaf sorter looked fine after one epoch (82 % on the test leaves) "
                     "and then got worse: by the end it calls every leaf good, 67 % accuracy, "
                     "and it has flagged one thin leaf in the last three epochs. "
                     "Validation loss went from 0.42 to 0.79 while the training loss "
                     "jumps around a lot. Is it overfitting? We only have about 1000 scans.")


if __name__ == "__main__":
    main()
