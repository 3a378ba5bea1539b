"""Plain torch: a sitar maker predicts the open pitch (Hz) a main playing string will settle at
from eight measurements taken while stringing: vibrating length from the bridge (jawari) to
the meru (cm), wire gauge (mm), steel or bronze (0/1), the peg's turns past slack, the
measured tension on the gauge (kg), the ambient temperature, the humidity and the age of the
wire (weeks). Pitch follows Mersenne's law f = 1/(2L) * sqrt(T / mu), mu from gauge and metal,
with a little drift for warm rooms and old wire, plus 1.5 % noise. A deep MLP (8 → six hidden
Linear+ReLU layers of 128 → 1) on log2(f / 220), MSE, SGD momentum 0.9 lr 5e-3, batch 64, 12
epochs of 2048 strings, 256 validation strings. CSV ``pitch_log.csv`` (``step`` / ``epoch`` /
``train_mse`` every step, ``val_mse`` / ``val_cents`` added at each epoch's last step); checkpoint keys ``net`` / ``opt`` / ``step``.

Bug: the hand-written ``init_weights`` draws every weight with ``nn.init.normal_(m.weight,
0.0, 0.2)`` (meant as the usual 0.02; He init would be sqrt(2 / 128) = 0.125): each of the
128-wide layers multiplies the signal by ~1.6, the first outputs are ~15 where the targets are
~0.5, and with SGD momentum the updates feed back: train MSE 207 at step 1, 4.07e5 at step 2,
4.4e26 at step 3 (gradient norm 1.9e3 → 1.0e6 → inf), nan from step 4 to the end; val MSE and
val cents nan in all 12 epochs. Control (``nn.init.kaiming_normal_(m.weight)``):
val MSE 0.0593 (epoch 1) → 0.0171 (2) → 0.0100 (4) → 0.00528 (12), val error 232 → 124 →
92 → 69 cents, no nan anywhere."""
import csv
import math

import torch
import torch.nn as nn


def strings(n, g):
    u = torch.rand(n, 8, generator=g)
    length = 85 + 10 * u[:, 0]
    gauge = 0.25 + 0.15 * u[:, 1]
    bronze = (u[:, 2] < 0.4).float()
    turns = 2 + 4 * u[:, 3]
    tension = 3 + 4.5 * u[:, 4] + 0.3 * turns
    temp = 18 + 16 * u[:, 5]
    hum = 30 + 60 * u[:, 6]
    age = 30 * u[:, 7]
    rho = torch.where(bronze > 0, 8.8, 7.85) * 1000
    mu = rho * math.pi * (gauge / 2000) ** 2
    f = 1 / (2 * length / 100) * torch.sqrt(tension * 9.81 / mu)
    f = f * (1 - 0.002 * (temp - 25) - 0.001 * age) * (1 + 0.015 * torch.randn(n, generator=g))
    x = torch.stack([(length - 90) / 2.9, (gauge - 0.325) / 0.043, bronze * 2 - 1,
                     (turns - 4) / 1.15, (tension - 6.45) / 1.35, (temp - 26) / 4.6,
                     (hum - 60) / 17, (age - 15) / 8.7], 1)
    return x, torch.log2(f / 220)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.0, 0.2)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    layers, d = [], 8
    for _ in range(6):
        layers += [nn.Linear(d, 128), nn.ReLU()]
        d = 128
    net = nn.Sequential(*layers, nn.Linear(128, 1))
    net.apply(init_weights)
    return net


def main():
    from _twohundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = strings(2304, g)
    print("pitch Hz range", (220 * 2 ** y).min().item(), (220 * 2 ** y).max().item())
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=5e-3, momentum=0.9)
    f = open(out / "pitch_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "train_mse", "val_mse", "val_cents"])
    step = 0
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(2048, generator=g)
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = ((model(xtr[idx]).squeeze(1) - ytr[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if i + 64 < 2048:
                w.writerow([step, epoch, f"{loss.item():.6g}", "", ""])
        model.eval()
        with torch.no_grad():
            p = model(xva).squeeze(1)
        row = [loss.item(), ((p - yva) ** 2).mean().item(), 1200 * (p - yva).abs().mean().item()]
        w.writerow([step, epoch] + [f"{v:.6g}" for v in row])
        print(epoch, row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step},
               out / "pitch_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="pitch_mlp.pt", log="pitch_log.csv",
           what="deep ReLU MLP regressing a sitar string's open pitch from length, gauge,"
                " tension; weights initialised N(0, 0.2), SGD momentum",
           complaint="My string-pitch model blows up straight away: the training MSE is 207 on the"
                     " first batch, 407069 on the second, 4e26 on the third and nan from step 4 on,"
                     " and val MSE / val cents are nan in every epoch. Features are standardised"
                     " and the target is log2(f/220), so values should be around 0.1. Why?")


if __name__ == "__main__":
    main()
