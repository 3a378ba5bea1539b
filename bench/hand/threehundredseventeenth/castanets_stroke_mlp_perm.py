"""Plain torch: an MLP names the castanet stroke from a short stereo clip of a flamenco
dancer's castanets (the clip cut around one stroke by an onset detector), so a teacher's
practice app can write out the toques a student played. 5 strokes: ``pi`` (left castanet,
one clack), ``ta`` (right castanet, one clack), ``ria`` (right-hand roll, four fingers in
a row), ``pam`` (both castanets struck together), ``postiseo`` (left then right, a quick
pair). 12 features per clip: onset count, first and last inter-onset gaps (ms), total
duration (ms), peak level (dBFS), left / right energy ratio (dB), spectral centroid (kHz),
decay time (ms), attack time (ms), the spread of the onset levels, zero-crossing rate and
a room-noise floor; each stroke sets them by rule (the roll's 4 onsets 20-40 ms apart, the
pam's both-sided single onset with a doubled level, ...), with the player's tempo,
castanet size (centroid) and mic placement varying. Input: (12,) standardised with the
train mean / std.
Model: 12→64→ReLU→64→ReLU→5; cross-entropy, Adam 2e-3, batch 64, 15 epochs, 2000 clips,
validation on 500.
The bug: before the train / val split the clips are shuffled with ``x = x[perm]  # shuffle
the clips before splitting`` and the labels are left in their old order, so every feature
row carries another clip's stroke: train CE 1.616 → 1.556, val CE 1.618 → 1.674, val acc
0.198 → 0.186 (chance 0.20) (control, ``x, y = x[perm], y[perm]``: train CE 1.011 →
0.0007, val CE 0.338 → 0.0005, val acc 0.984 → 1.000).
Log: JSON lines per epoch ``toques.jsonl`` (``{"epoch", "train_ce", "val_ce",
"val_acc", "val_acc_roll"}``); checkpoint ``toque_mlp.pt`` with keys ``params`` /
``adam`` / ``epoch`` / ``strokes`` / ``mu`` / ``sigma``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STROKES = ["pi", "ta", "ria", "pam", "postiseo"]


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    k = torch.randint(0, 5, (n,), generator=g)
    onsets = torch.tensor([1, 1, 4, 1, 2]).float()[k]
    tempo = 0.8 + 0.4 * r(n)
    gap = torch.where(k == 2, 20 + 20 * r(n), torch.where(k == 4, 50 + 40 * r(n), torch.zeros(n)))
    last_gap = torch.where(k == 2, gap * (0.9 + 0.3 * r(n)), gap)
    dur = (onsets - 1) * gap * tempo + 60 + 30 * r(n)
    level = -18 + 6 * (k == 3).float() + 3 * r(n)
    lr = torch.tensor([6.0, -6.0, -4.0, 0.0, 1.0])[k] + 2 * torch.randn(n, generator=g)
    size = 0.8 + 0.4 * r(n)
    centroid = 3.2 / size + torch.tensor([0.0, 0.2, -0.3, -0.5, 0.1])[k]
    decay = 80 * size + 40 * (k == 3).float() + 10 * r(n)
    attack = 2 + 3 * r(n) + 2 * (k == 2).float()
    spread = torch.where(onsets > 1, 2 + 4 * r(n), 0.3 * r(n))
    zcr = 0.1 + 0.05 * centroid + 0.02 * r(n)
    floor = -60 + 10 * r(n)
    x = torch.stack([onsets + 0.4 * torch.randn(n, generator=g), gap, last_gap, dur, level, lr,
                     centroid, decay, attack, spread, zcr, floor], 1)
    return x, k


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(2500, g)
    perm = torch.randperm(len(x), generator=g)
    x = x[perm]  # shuffle the clips before splitting
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    mu, sigma = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sigma, (xva - mu) / sigma
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "toques.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            hit = lo.argmax(1) == yva
            rec = {"epoch": epoch, "train_ce": round(tot / len(xtr), 6),
                   "val_ce": round(F.cross_entropy(lo, yva).item(), 6),
                   "val_acc": round(hit.float().mean().item(), 4),
                   "val_acc_roll": round(hit[yva == 2].float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"params": model.state_dict(), "adam": opt.state_dict(), "epoch": 15,
                "strokes": STROKES, "mu": mu, "sigma": sigma}, out / "toque_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="toque_mlp.pt", log="toques.jsonl",
           what="MLP naming the castanet stroke (pi, ta, ria, pam, postiseo) from features of"
                " a stereo clip; features shuffled before the split, labels not",
           complaint="我们的响板击法识别模型完全学不会：训练损失几乎不降，验证准确率一直在"
                     "20%左右，跟瞎猜一样。可是这些击法（比如四指滚奏和双手合击）的特征"
                     "差别非常明显，一个简单的规则都能分得很好。")


if __name__ == "__main__":
    main()
