"""Plain torch: a 1-D CNN recognises a capoeirista's move in the roda (ginga, esquiva, armada,
meia-lua de frente) from 64 samples (≈1.3 s) of a wrist IMU, 6 channels (accelerometer x/y/z,
gyroscope x/y/z). The recording app exports windows as (samples, channels). Ginga is a slow
lateral sway (acc-x with gyro-y), esquiva a short fast duck on the same axes, armada a wide
spin burst on gyro-z, meia-lua de frente a sharp gyro-z burst followed by gyro-x; timing,
amplitude and phase vary per window under heavy sensor noise.
Conv1d(6→32,k7)-ReLU-pool, Conv1d(32→64,k5)-ReLU, global average pool, dropout 0.1,
Linear(64→4); Adam 1e-3, batch 32, 15 epochs of 1024 windows, shuffled.
The bug: the windows go to channels-first with ``x.reshape(len(x), 6, 64)`` instead of
``x.transpose(1, 2)``, so each "channel" row the conv sees is a run of interleaved samples
from all six sensors: val accuracy 0.46 → 0.72 at epoch 15 (best 0.78), val loss
1.36 → 0.62, train loss 0.54. Control (``x.transpose(1, 2).contiguous()``): val accuracy
0.54 → 0.83 at epoch 4, 0.945 at epoch 15, val loss 0.20, train loss 0.23."""
import csv

import torch
import torch.nn as nn

T, C = 64, 6


def windows(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    x = 0.6 * torch.randn(n, T, C, generator=g)
    x[:, :, 2] += 1.0  # gravity on acc-z
    for i in range(n):
        c, a = int(y[i]), 0.5 + 0.5 * float(torch.rand(1, generator=g))
        t0 = 0.25 + 0.5 * float(torch.rand(1, generator=g))
        ph = 6.28 * float(torch.rand(1, generator=g))
        if c == 0:    # ginga: slow lateral sway
            x[i, :, 0] += a * torch.sin(6.28 * 2 * t + ph)
            x[i, :, 4] += 0.5 * a * torch.cos(6.28 * 2 * t + ph)
        elif c == 1:  # esquiva: quick duck, same axes, faster and short
            x[i, :, 0] += a * torch.sin(6.28 * 5 * t + ph) * torch.exp(-((t - t0) ** 2) / 0.03)
            x[i, :, 4] += 0.5 * a * torch.cos(6.28 * 5 * t + ph)
        elif c == 2:  # armada: one wide spin on gyro-z
            x[i, :, 5] += 1.5 * a * torch.exp(-((t - t0) ** 2) / 0.01)
        else:         # meia-lua de frente: arc, gyro-z then gyro-x
            x[i, :, 5] += 1.5 * a * torch.exp(-((t - t0) ** 2) / 0.002)
            x[i, :, 3] += 1.5 * a * torch.exp(-((t - t0 - 0.1) ** 2) / 0.002)
    return x, y


def to_channels_first(x):
    return x.reshape(len(x), C, T)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(C, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 64, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                         nn.Flatten(), nn.Dropout(0.1), nn.Linear(64, 4))


def main():
    from _twohundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(256, g)
    xtr, xva = to_channels_first(xtr), to_channels_first(xva)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "training.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "valid_loss", "valid_acc"])
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = nn.functional.cross_entropy(model(xb), yb)
                optim.zero_grad()
                loss.backward()
                optim.step()
                tot += loss.item() * len(yb)
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, round(tot / 1024, 4), round(nn.functional.cross_entropy(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "step": step,
                "epoch": 15}, out / "capoeira_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="capoeira_cnn.pt", log="training.csv",
           what="capoeira-move IMU 1-D CNN fed (samples, channels) windows reshaped, not"
                " transposed, to channels-first",
           complaint=("The capoeira move classifier stalls at about 72 % validation accuracy (best "
                      "78 %) after 15 epochs, train loss still 0.54. The four moves look clearly "
                      "different when I plot the IMU traces, I expected well above 90 %. Do I "
                      "need a bigger model or an LSTM?"))


if __name__ == "__main__":
    main()
