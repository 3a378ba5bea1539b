"""Plain torch: a 1-D CNN with batch norm reads the density trace of an increment-borer core
taken from a standing oak and names what the woodreeve (the estate's woodward, who marks
the trees for felling) will find inside: sound, ring shake, heart rot or pinhole borer, so
the sound trees are sold as planking and the rest as firewood. The trace is 128 readings
from the pith to the bark: ring after ring of dense latewood and light earlywood (ring
width 1.5-5 mm, narrowing towards the bark), sap and heart slightly apart; a shake is a
narrow gap at one ring boundary, heart rot a soft and ragged zone out from the pith over
15-45 % of the core, pinhole borer a few sharp narrow dips; the densitometer adds noise and
a drift, and 12 % of the woodreeve's old records carry the wrong finding (what the sawyer
wrote when the tree was felled). 600 labelled cores: 120 held back for validation (the best
epoch by val accuracy is kept), 480 to train on; 400 more, from the next season's
marking, are the audit set scored once at the end.
Input: (1, 128) density (kg/m³ - 650) / 150. Model: Conv1d 1→24 (k7) + BN + ReLU +
MaxPool2, Conv1d 24→48 (k5) + BN + ReLU + MaxPool2, Conv1d 48→64 (k3) + BN + ReLU, global
max pool, Linear 64→64 + ReLU, Linear 64→4; cross-entropy, Adam 3e-3, batch 32, 40 epochs.
The bug: the validation cores are cut from the wrong end of the shuffled index,
``val_idx = perm[120:240]  # cores held back to pick the best epoch``, which are the first
120 of the training cores (``train_idx = perm[120:]``); val accuracy climbs with the
memorised training set to 1.0, the best epoch is picked on cores the net has learnt by heart,
and the audit says otherwise: val acc 0.583 → 1.0 (first at epoch 13, the best epoch kept), val CE 1.01 →
0.0004, audit acc 0.785, audit CE 0.871 (control, ``perm[:120]``: val acc 0.675 → 0.767,
best 0.80 at epoch 6, val CE 0.98 → 0.77 → 1.51, audit acc 0.8175, audit CE 0.622).
Log: JSON lines ``core_fit.jsonl``, one ``{"epoch", "train_ce", "val_ce", "val_acc"}`` per
epoch and a last ``{"best_epoch", "best_val_acc", "audit_acc", "audit_ce"}``; checkpoint
``oak_core_best.pt`` (the best epoch) with keys ``net_state`` / ``opt`` / ``best_epoch`` /
``best_val_acc`` / ``findings``."""
import copy
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

L_CORE = 128
FINDINGS = ["sound", "ring_shake", "heart_rot", "pinhole_borer"]


def cores(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    pos = torch.arange(L_CORE).float().unsqueeze(0) / L_CORE
    width = (4 + 8 * r(n, 1)) * (1.3 - 0.6 * pos)
    phase = torch.cumsum(1.0 / width, 1) * 2 * math.pi
    dens = 650 + 90 * torch.sin(phase + 6.28 * r(n, 1)) + 40 * (pos > 0.8).float() * (r(n, 1) - 0.5)
    where = 0.2 + 0.6 * r(n, 1)
    shake = torch.exp(-((pos - where) * L_CORE / 1.2) ** 2) * 380
    rot_len = 0.15 + 0.3 * r(n, 1)
    rot = (pos < rot_len).float() * (140 + 60 * torch.randn(n, L_CORE, generator=g).abs())
    holes = torch.zeros(n, L_CORE)
    for _ in range(4):
        c = r(n, 1)
        holes = holes + 260 * torch.exp(-((pos - c) * L_CORE / 0.8) ** 2)
    dens = dens - torch.where(y.unsqueeze(1) == 1, shake, 0 * shake)
    dens = dens - torch.where(y.unsqueeze(1) == 2, rot, 0 * rot)
    dens = dens - torch.where(y.unsqueeze(1) == 3, holes, 0 * holes)
    dens = dens + 60 * (r(n, 1) - 0.5) * pos + 45 * torch.randn(n, L_CORE, generator=g)
    wrong = r(n) < 0.12
    y = torch.where(wrong, torch.randint(0, 4, (n,), generator=g), y)
    return ((dens - 650) / 150).unsqueeze(1), y


class CoreCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 5, padding=2), nn.BatchNorm1d(48), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(48, 64, 3, padding=1), nn.BatchNorm1d(64), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return CoreCNN()


def main():
    from _threehundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x_all, y_all = cores(600, g)
    x_audit, y_audit = cores(400, g)
    perm = torch.randperm(600, generator=g)
    train_idx = perm[120:]
    val_idx = perm[120:240]  # cores held back to pick the best epoch
    xtr, ytr, xva, yva = x_all[train_idx], y_all[train_idx], x_all[val_idx], y_all[val_idx]
    print("findings", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    best = (-1.0, -1, None, None)
    with open(out / "core_fit.jsonl", "w") as log:
        for epoch in range(40):
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
                logits = model(xva)
            acc = (logits.argmax(1) == yva).float().mean().item()
            row = {"epoch": epoch, "train_ce": round(tot / len(xtr), 6),
                   "val_ce": round(F.cross_entropy(logits, yva).item(), 6), "val_acc": round(acc, 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
            if acc > best[0]:
                best = (acc, epoch, copy.deepcopy(model.state_dict()), copy.deepcopy(opt.state_dict()))
        model.load_state_dict(best[2])
        model.eval()
        with torch.no_grad():
            la = model(x_audit)
        final = {"best_epoch": best[1], "best_val_acc": round(best[0], 6),
                 "audit_acc": round((la.argmax(1) == y_audit).float().mean().item(), 6),
                 "audit_ce": round(F.cross_entropy(la, y_audit).item(), 6)}
        log.write(json.dumps(final) + "\n")
        print(final)
    torch.save({"net_state": best[2], "opt": best[3], "best_epoch": best[1],
                "best_val_acc": best[0], "findings": FINDINGS}, out / "oak_core_best.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="oak_core_best.pt", log="core_fit.jsonl",
           what="1-D CNN with batch norm naming sound / shake / heart rot / pinhole borer from"
                " an oak's increment-core density trace; the validation cores are training"
                " cores, the best epoch picked on them",
           complaint="The core reader looked perfect in training: validation accuracy 100 %"
                     " from epoch 13 on and validation loss 0.0004 by the end, and it kept"
                     " the epoch-13 weights as the best. On this season's 400 cores it got"
                     " only 78.5 % right with a loss of 0.87. Why is validation so far off"
                     " from what we see in the wood?")


if __name__ == "__main__":
    main()
