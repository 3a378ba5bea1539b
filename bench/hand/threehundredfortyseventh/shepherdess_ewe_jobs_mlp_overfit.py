"""Plain torch: an MLP reads a ewe's gathering sheet and ticks which jobs the shepherdess
will do to her in the handling race: drench (worms), trim feet, crutch (dags), and mark for
culling. 11 inputs: FAMACHA eye score (1-5), log faecal egg count, body condition score
(1-5), weight change since last gather (%), lameness score (0-3), days on wet pasture
(0-40), dag score (0-5), fleece length (mm), days since shearing, age (years), days since
the last drench. The ticks follow the shepherdess's rules of thumb, applied as she does on
the day (about 1 in 10 ticks the other way): drench when the eyes are pale (FAMACHA ≥ 4) or
the egg count is high with weight loss, unless drenched in the last 3 weeks; trim feet when
lame, or after long spells on wet ground; crutch when dagged with a long fleece; cull an
old ewe in poor condition. Multi-label (4 sigmoid outputs).
Input: (11,) standardised with the train mean / std. Model: 11→256→ReLU→256→ReLU→4; BCE
with logits, Adam 1e-3, batch 16, 96 ewes' sheets from last autumn's gather,
validation on this spring's 400 sheets.
The bug: the loop runs 400 epochs over the 96 sheets (the small-flock habit of "more passes
since there is little data") and keeps the last weights: train BCE 0.649 → 0.00016 while
val BCE falls from 0.596 to its lowest, 0.474, at epoch 6 and climbs to 1.95 by epoch 400;
val micro-F1 peaks at 0.707 (epoch 14) and ends at 0.662, drench F1 0.688 (control,
``range(10)``: train BCE 0.302, val BCE 0.475, micro-F1 0.705, drench F1 0.746).
Log: one JSON line per epoch ``gather_fit.jsonl`` (``ep`` / ``loss`` / ``val_loss`` /
``val_f1_micro`` / ``val_f1_drench``); checkpoint ``race_mlp.ckpt`` with keys ``model_state``
/ ``optim_state`` / ``ep`` / ``mu`` / ``sigma`` / ``jobs``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

JOBS = ["drench", "trim_feet", "crutch", "cull"]


def sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda: torch.randn(n, generator=g)  # noqa: E731
    worms = r(n)
    famacha = (1 + 4 * worms + 0.7 * z()).round().clamp(1, 5)
    fec = 4 + 3 * worms + 0.6 * z()
    age = 1 + 7 * r(n)
    bcs = (3.4 - 1.2 * worms - 0.15 * (age - 4).clamp(min=0) + 0.5 * z()).clamp(1, 5)
    wchg = 4 - 10 * worms + 3 * z()
    wet = 40 * r(n)
    lame = (0.04 * wet + 0.8 * z() + 0.2).round().clamp(0, 3)
    dag = (5 * r(n) * (0.5 + worms)).clamp(0, 5)
    since_shear = 365 * r(n)
    fleece = 10 + 0.25 * since_shear + 8 * z()
    since_drench = 10 + 150 * r(n)
    drench = ((famacha >= 4) | ((fec > 6) & (wchg < 0))) & (since_drench > 21)
    trim = (lame >= 2) | ((wet > 30) & (lame >= 1))
    crutch = (dag >= 2.5) & (fleece > 50)
    cull = (age > 6) & (bcs < 2.5)
    y = torch.stack([drench, trim, crutch, cull], 1).float()
    flip = r(n, 4) < 0.1
    y = torch.where(flip, 1 - y, y)
    x = torch.stack([famacha, fec, bcs, wchg, lame, wet, dag, fleece, since_shear, age,
                     since_drench], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(11, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 4))


def f1(pred, y):
    tp = (pred * y).sum()
    return (2 * tp / (pred.sum() + y.sum()).clamp(min=1)).item()


def main():
    from _threehundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = sheets(96, g)
    rva, yva = sheets(400, g)
    print("tick rates", ytr.mean(0).tolist())
    mu, sigma = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "gather_fit.jsonl", "w") as log:
        for ep in range(400):  # small flock, so plenty of passes over it
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = {"ep": ep, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_f1_micro": round(f1(pred, yva), 4),
                   "val_f1_drench": round(f1(pred[:, 0], yva[:, 0]), 4)}
            log.write(json.dumps(row) + "\n")
            if ep % 20 == 0 or ep < 20:
                print(row)
    print(row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "ep": ep + 1,
                "mu": mu, "sigma": sigma, "jobs": JOBS}, out / "race_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="race_mlp.ckpt", log="gather_fit.jsonl",
           what="multi-label MLP ticking a ewe's jobs at the gather (drench, trim feet, crutch,"
                " cull) from her sheet; 96 sheets, 256-wide layers, 400 epochs, nothing held back",
           complaint="My ewe job model gets the training sheets perfect, loss 0.0002, but on"
                     " this spring's sheets it is worse than it was after the first few"
                     " epochs: validation loss went from 0.47 up to 1.95 and F1 dropped from"
                     " 0.70 to 0.66. The longer I train the worse it does on new ewes.")


if __name__ == "__main__":
    main()
