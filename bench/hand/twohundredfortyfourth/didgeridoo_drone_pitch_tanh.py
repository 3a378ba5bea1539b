"""Plain torch: an MLP regresses the drone pitch of a didgeridoo (semitones above A1,
standardised) from five bore measurements a maker writes down: length (mm), bell diameter
(mm), mouthpiece diameter (mm), wall thickness (mm) and the mean bore flare (mm per 10 cm).
The pitch follows the acoustic length (a closed-open pipe: longer → lower, a wider bell and a
stronger flare shorten the effective length) plus a little maker-to-maker noise.
MLP 5-64-64-1 with Tanh, Adam 1e-3, batch 32, 30 epochs of 800 instruments, shuffled.
The bug: the measurements go into the Tanh layers as measured (``xtr, xva = raw_tr, raw_va``:
lengths of 1000–1800 mm, bells of 60–120 mm), so nearly every first-layer unit sits at ±1 and
passes no gradient (98 % of the first-layer pre-activations are beyond ±5 at the start); the
net can only step between saturated units: train MSE 0.81 after epoch 1, 0.40 at epoch 10,
0.30 at epoch 30; val MSE 0.30 at epoch 30 (1.64 semitones RMS; the target variance is 1.0).
Control (``xtr, xva`` standardised with the training mean and std, one line): val MSE 0.029
after epoch 1, 0.0097 at epoch 10, 0.0044 at epoch 30 (0.20 semitones RMS)."""
import json
import math

import torch
import torch.nn as nn


def bores(n, g):
    length = 1000 + 800 * torch.rand(n, generator=g)  # mm
    bell = 60 + 60 * torch.rand(n, generator=g)
    mouth = 28 + 6 * torch.rand(n, generator=g)
    wall = 3 + 5 * torch.rand(n, generator=g)
    flare = 2 + 6 * torch.rand(n, generator=g)
    eff = length / 10 * (1 - 0.0015 * (bell - 90) - 0.02 * (flare - 5)) + 0.3 * (mouth - 31)
    hz = 34300 / (4 * eff)  # closed-open pipe, cm/s
    semis = 12 * torch.log2(hz / 55.0) + 0.15 * torch.randn(n, generator=g)
    return torch.stack([length, bell, mouth, wall, flare], 1), semis


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 1))


def main():
    from _twohundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw_tr, s_tr = bores(800, g)
    raw_va, s_va = bores(200, g)
    mu_y, sd_y = s_tr.mean(), s_tr.std()
    ytr, yva = ((s_tr - mu_y) / sd_y)[:, None], ((s_va - mu_y) / sd_y)[:, None]
    xtr, xva = raw_tr, raw_va  # the bore measurements, in mm as measured
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    logf = open(out / "train_log.jsonl", "w")
    for epoch in range(1, 31):
        model.train()
        perm = torch.randperm(800, generator=g)
        tot = 0.0
        for i in range(0, 800, 32):
            idx = perm[i:i + 32]
            loss = mse(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = mse(model(xva), yva).item()
        rec = {"epoch": epoch, "train_mse": round(tot / 800, 5), "val_mse": round(vl, 5),
               "val_rmse_semitones": round(math.sqrt(vl) * sd_y.item(), 4)}
        logf.write(json.dumps(rec) + "\n")
        print(rec)
    logf.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "target_mean": mu_y.item(), "target_std": sd_y.item()}, out / "drone_pitch.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["saturating_activation"],
           checkpoint="drone_pitch.pt", log="train_log.jsonl",
           what="didgeridoo drone-pitch Tanh MLP fed raw mm measurements: saturated units, poor fit",
           complaint=("I'm predicting the drone note of a didgeridoo from the maker's bore "
                      "measurements (length, bell, mouthpiece, wall, flare). The MSE on the "
                      "standardised pitch goes 0.81 -> 0.40 -> 0.30 over 30 epochs and val is "
                      "stuck at 0.30, about 1.6 semitones RMS error, useless for tuning. "
                      "Length alone should nail the pitch, it's basically a pipe. Why is it "
                      "learning so badly?"))


if __name__ == "__main__":
    main()
