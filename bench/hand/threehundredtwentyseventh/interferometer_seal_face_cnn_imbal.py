"""Plain torch: a 1-D CNN with batch norm grades lapped mechanical-seal faces from a
white-light interferometer profile (one 0.5 mm trace across the face, 128 heights, 4 µm
apart). A good face has lapping roughness (Ra 15-45 nm, correlated over a few samples) on a
gentle waviness from the lap plate; two defects reject a face: a scratch from a loose grit
(a V groove 2-4 samples wide, 25-90 nm deep) and a pit from a pulled-out carbide grain (a
round dip 6-11 samples wide, 30-110 nm deep). 3 % of faces have a scratch and 2 % a pit, as
on the line; the defects sit in the roughness, not far below it.
Input: (1, 128) height in nm / 50 with the trace's mean and tilt taken out. Classes: 0 good,
1 scratch, 2 pit. Model: Conv1d 1→16 (k7) + BN + ReLU, Conv1d 16→32 (k5) + BN + ReLU +
MaxPool2, Conv1d 32→32 (k5) + BN + ReLU, global max pool, Linear 32→3; cross-entropy,
SGD 0.03 with Nesterov momentum 0.9, batch 48, 12 epochs, 3600 faces, validation on 900.
The bug: ``crit = nn.CrossEntropyLoss()`` with nothing done about the 5 % rejects: the net
calls nearly every face good, val accuracy 0.939 (the good share) to 0.948, scratch recall
0.0 every epoch, pit recall 0.0 for most epochs and 0.47 only at the last, val CE 0.269 →
0.236 (control, ``nn.CrossEntropyLoss(weight=torch.tensor([1.0, 30.0, 45.0]))``: scratch
recall 0.14 → 0.86, pit recall 0.79 → 0.74 (0-1.0 on the way), val accuracy 0.64 → 0.74).
Log: CSV per epoch ``grading.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``val_recall_scratch`` / ``val_recall_pit``); checkpoint ``seal_grader.ckpt`` with keys
``model_state`` / ``optim_state`` / ``epoch`` / ``classes`` / ``nm_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["good", "scratch", "pit"]


def faces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    u = r(n)
    cls = torch.where(u < 0.03, 1, torch.where(u < 0.05, 2, 0))
    i = torch.arange(128).float()
    ra = 15 + 30 * r(n, 1)
    rough = F.avg_pool1d(torch.randn(n, 1, 131, generator=g), 4, 1).squeeze(1)
    h = ra * 1.25 * rough / rough.std(1, keepdim=True)
    h = h + 40 * r(n, 1) * torch.sin(2 * torch.pi * i / (150 + 200 * r(n, 1)) + 6.3 * r(n, 1))
    at = 10 + 108 * r(n, 1)
    w_s, d_s = 1 + 1 * r(n, 1), 50 + 100 * r(n, 1)
    w_p, d_p = 3 + 2.5 * r(n, 1), 60 + 110 * r(n, 1)
    groove = d_s * (1 - (i - at).abs() / w_s).clamp(min=0)
    dip = d_p * (1 - ((i - at) / w_p) ** 2).clamp(min=0).sqrt()
    h = h - (cls == 1).float().unsqueeze(1) * groove - (cls == 2).float().unsqueeze(1) * dip
    a = torch.linalg.lstsq(torch.stack([torch.ones(128), i / 128], 1).expand(n, 128, 2),
                           h.unsqueeze(2)).solution
    h = h - (a[:, 0] + a[:, 1] * i / 128)
    return (h / 50).unsqueeze(1), cls


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
                         nn.MaxPool1d(2), nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32),
                         nn.ReLU(), nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    from _threehundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = faces(3600, g)
    xva, yva = faces(900, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    crit = nn.CrossEntropyLoss()  # good / scratch / pit
    with open(out / "grading.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_ce", "val_ce", "val_acc", "val_recall_scratch",
                      "val_recall_pit"])
        for epoch in range(12):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(),
                   (pred[yva == 1] == 1).float().mean().item(),
                   (pred[yva == 2] == 2).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 12, "classes": CLASSES, "nm_scale": 50.0}, out / "seal_grader.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="seal_grader.ckpt", log="grading.csv",
           what="1-D CNN with batch norm grading lapped seal faces (good / scratch / pit) from"
                " a white-light interferometer trace; plain cross-entropy with 5 % rejects",
           complaint="Our seal face grader reports 94-95 % accuracy on the held-out faces, but"
                     " it has not flagged a single one of the 36 scratched faces in validation,"
                     " and only caught a few pits in the last epoch. Loss went down from 0.45 to"
                     " 0.18 so it is clearly training. What am I missing?")


if __name__ == "__main__":
    main()
