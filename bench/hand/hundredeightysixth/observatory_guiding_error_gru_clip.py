"""Plain torch: a GRU forecasts the next autoguider correction (RA and Dec error) of an
observatory's 0.6 m telescope from the last 32 guide frames (RA error, Dec error, wind speed at
the dome slit, dome–telescope azimuth offset; 2 s cadence). Guide errors are in guide-camera
pixels (4 px per arcsec), as the guider writes them. The RA error carries the mount's periodic
worm-gear error (period 240 s) plus slow drift; wind gusts through the slit kick both axes,
more when the slit is badly aligned. GRU(4→48, 2 layers) → Linear(48→2) on the last state;
SGD 0.3 with momentum 0.9 and ``clip_grad_norm_(…, 1.0)``, batch 32, 10 epochs of 1024
sequences; MSE in px². Log: CSV every 8 steps (``step``, ``epoch``, ``loss``) plus a row per
epoch with ``val_loss`` filled; checkpoint ``state_dict`` / ``optimizer`` / ``epoch`` /
``global_step``.
The bug: the clip sits between ``opt.zero_grad()`` and ``loss.backward()``, so it clips the
zeroed (``None``) gradients and the step then uses the raw ones. With SGD 0.3 + momentum the GRU blows up at once: train loss 3.8e5 px² at step 8,
3.9e8 at 16, 1.9e15 at step 32 (val 2.2e15 after epoch 1), 2.9e19 at step 48, NaN from epoch 2
to the end (the checkpoint holds NaN weights).
Control (the clip line moved below ``loss.backward()``): train loss 2.5 px² at step 8,
noisy 0.7–4.6 through epoch 3, 1.0–1.5 at epoch 10; val loss 4.3 → 3.0 (epoch 3) → 1.32
(epoch 8) → 1.51 at 10."""
import csv
import math

import torch
import torch.nn as nn

T = 32
PX = 4.0  # guide-camera pixels per arcsec (0.25"/px)


def guide_frames(n, g):
    t = torch.arange(T + 1).float() * 2.0
    ph = 6.28 * torch.rand(n, 1, generator=g)
    amp = 1.2 + 0.8 * torch.rand(n, 1, generator=g)
    drift = 0.01 * torch.randn(n, 1, generator=g)
    wind = (2 + 8 * torch.rand(n, 1, generator=g)) * (1 + 0.2 * torch.randn(n, T + 1, generator=g))
    offset = 20 * torch.rand(n, 1, generator=g).expand(n, T + 1)
    gust = torch.relu(torch.randn(n, T + 1, generator=g) - 1.0) * wind / 10 * (1 + offset / 10)
    ra = amp * torch.sin(2 * math.pi * t / 240 + ph) + drift * t + 0.5 * gust
    dec = 0.4 * torch.cos(2 * math.pi * t / 480 + ph) + 0.8 * gust.roll(1, 1)
    ra = ra + 0.1 * torch.randn(n, T + 1, generator=g)
    dec = dec + 0.1 * torch.randn(n, T + 1, generator=g)
    x = torch.stack([PX * ra[:, :T], PX * dec[:, :T], (wind[:, :T] - 6) / 3, (offset[:, :T] - 10) / 6], 2)
    return x, PX * torch.stack([ra[:, T], dec[:, T]], 1)


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, num_layers=2, batch_first=True)
        self.head = nn.Linear(48, 2)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h[:, -1])


def build():
    torch.manual_seed(0)
    return Forecaster()


def main():
    from _hundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = guide_frames(1024, g)
    xva, yva = guide_frames(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    loss_fn = nn.MSELoss()
    step = 0
    f = open(out / "guiding_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss", "val_loss"])
    for epoch in range(1, 11):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                w.writerow([step, epoch, f"{loss.item():.5g}", ""])
        model.eval()
        with torch.no_grad():
            vl = loss_fn(model(xva), yva).item()
        w.writerow([step, epoch, "", f"{vl:.5g}"])
        print(epoch, step, loss.item(), vl)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 10,
                "global_step": step}, out / "guider_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="guider_gru.pt", log="guiding_log.csv",
           what="observatory autoguider GRU forecaster, SGD 0.05 + momentum, whose gradient clip"
                " runs before backward (no clipping at all)",
           complaint=("The GRU that forecasts our telescope's next guide correction diverges in the"
                      " first epoch: loss 3.8e5 at step 8, 1.9e15 at step 32, val 2.2e15, and NaN"
                      " from epoch 2 on. SGD lr 0.3 momentum 0.9, batch 32. The guide errors are"
                      " in pixels, a few px at most, and there's nothing strange in the data."))


if __name__ == "__main__":
    main()
