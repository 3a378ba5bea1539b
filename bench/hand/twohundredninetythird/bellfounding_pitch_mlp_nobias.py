"""Plain torch: an MLP tells a bellfounder what strike note (the nominal, as a MIDI note number
with cents as the fraction) a bell will sound from its pattern, before the mould is rammed,
so a ring of bells can be cast in tune with as little metal turned off as possible. Plate
theory as founders use it: the nominal frequency goes as the wall thickness at the sound bow
over the square of the mouth diameter, f = 8.7·t / D² Hz (t in mm, D in m; a 1 m bell with a
70 mm bow sounds near 610 Hz), times a profile factor (light 0.94, medium 1.0, heavy 1.07 —
the heavier profile stiffens the waist), times a bronze factor (tin 20-24 %: stiffer and
lighter bronze sounds a little higher, +0.6 % per % tin over 22), plus a 6-cent casting
scatter. Target in semitones: 69 + 12·log2(f / 440), MIDI 60-95 across the patterns.
Input: 5 standardised numbers (diameter m, bow thickness mm, profile 0/1/2, tin %, crown
height ratio, which does not matter); target MIDI note (raw, mean ≈ 77).
MLP 5→64-ReLU-64-ReLU-32-ReLU→1; MSE, Adam 3e-3, StepLR ×0.5 every 10 epochs,
batch 128, 30 epochs, 3000 patterns, validation on 600.
Bug: every layer is built with ``bias=False`` (``# inputs are standardised, so the layers need
no bias``): a ReLU net without biases is positively homogeneous, f(a·x) = a·f(x) and f(0) = 0,
so a bell pattern near the average (x ≈ 0) must come out near MIDI 0 and the net can only
bend the note along rays out of the origin. Control (``bias=True``, one-line sed on the one
``BIAS`` constant): train MSE 4996 → 2.41, val MSE 2863 → 2.48 and still falling, val MAE
5290 → 121 cents. With the bug: train MSE 5431 → 234, val MSE 4364 → 265 by epoch 3 → 227
(the target variance is 65, so worse than always answering the mean note), val MAE 6558 →
1132 cents, i.e. 11 semitones.
Log: JSON lines per epoch ``pitch_log.jsonl`` (``ep`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_cents``); checkpoint ``pitch_mlp.pth`` with keys ``net`` / ``adam`` / ``step_lr`` /
``ep`` / ``x_mean`` / ``x_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BIAS = False  # inputs are standardised, so the layers need no bias


def patterns(n, g):
    d = 0.35 + 1.45 * torch.rand(n, generator=g)
    ratio = 0.055 + 0.035 * torch.rand(n, generator=g)
    t = 1000 * ratio * d
    profile = torch.randint(0, 3, (n,), generator=g)
    tin = 20 + 4 * torch.rand(n, generator=g)
    crown = 0.5 + 0.2 * torch.rand(n, generator=g)
    f = (8.7 * t / d ** 2 * torch.tensor([0.94, 1.0, 1.07])[profile]
         * (1 + 0.006 * (tin - 22)))
    note = 69 + 12 * torch.log2(f / 440) + 0.06 * torch.randn(n, generator=g)
    x = torch.stack([d, t, profile.float(), tin, crown], 1)
    return x, note.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 64, bias=BIAS), nn.ReLU(),
                         nn.Linear(64, 64, bias=BIAS), nn.ReLU(),
                         nn.Linear(64, 32, bias=BIAS), nn.ReLU(),
                         nn.Linear(32, 1, bias=BIAS))


def main():
    from _twohundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patterns(3000, g)
    xva, yva = patterns(600, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("midi", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    log = open(out / "pitch_log.jsonl", "w")
    for ep in range(30):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vl = F.mse_loss(p, yva).item()
            cents = 100 * (p - yva).abs().mean().item()
        rec = {"ep": ep, "lr": lr, "loss": round(tot / len(xtr), 5), "val_loss": round(vl, 5),
               "val_mae_cents": round(cents, 1)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(),
                "step_lr": sched.state_dict(), "ep": 30, "x_mean": mean, "x_std": std},
               out / "pitch_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="pitch_mlp.pth", log="pitch_log.jsonl",
           what="MLP giving a bell pattern's strike note as a MIDI number; every layer built"
                " with bias=False",
           complaint="Our strike-note model for new bell patterns is off by about eleven"
                     " semitones on average, which is useless when we need to be within a few"
                     " cents; just quoting the average note of our patterns would do better."
                     " The loss came down fast in the first three epochs and has hardly moved"
                     " since, even after the learning rate steps down.")


if __name__ == "__main__":
    main()
