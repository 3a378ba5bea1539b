"""N-HiTS-style forecaster on synthetic multi-seasonal sensor series: 40 series of 900 steps,
each a trend plus a 12-step and a 48-step season with its own amplitudes and phases plus
noise; one of the training series has a stretch where the sensor was stuck (the same value
for 98 steps). Windows of 96 steps in, 24 out (stride 4); the first 700 steps of each series
train, the rest validate. Three stacks of one block each: max-pool over the input (kernels
8, 4, 1), a 2-layer MLP (256), a backcast and 4 / 12 / 24 forecast knots linearly interpolated
to 24 steps (hierarchical interpolation), backcasts subtracted stack by stack. Each window is
normalised inside the model by its own mean and standard deviation and the forecast is put
back on the series' scale; MSE on that scale. Adam 1e-3, batch 128, 6 epochs; the log is a CSV
(train MSE every 10 steps, val MSE / MAE per epoch in the same file).
Bug: the window scale is ``x.std(1, keepdim=True)`` with no epsilon; the one window that lies
wholly in the stuck stretch has a standard deviation of exactly 0, its normalised input is
0 / 0 = NaN, and from the step that draws it the loss, the gradients and then every weight are
NaN (first NaN between steps 31 and 40 of 46 in epoch 0)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SERIES, LENGTH, IN, OUT, SPLIT = 40, 900, 96, 24, 700


def sensor_series(g):
    t = torch.arange(LENGTH, dtype=torch.float32)
    a12, a48 = torch.rand(SERIES, 1, generator=g) + 0.3, torch.rand(SERIES, 1, generator=g) + 0.5
    p12, p48 = 6.3 * torch.rand(SERIES, 1, generator=g), 6.3 * torch.rand(SERIES, 1, generator=g)
    trend = 0.002 * torch.randn(SERIES, 1, generator=g) * t
    x = (a12 * torch.sin(2 * torch.pi * t / 12 + p12) + a48 * torch.sin(2 * torch.pi * t / 48 + p48)
         + trend + 0.15 * torch.randn(SERIES, LENGTH, generator=g))
    x[7, 300:398] = x[7, 299]  # the sensor was stuck for 98 steps
    return x


def windows(x, lo, hi, stride):
    starts = range(lo, hi - IN - OUT + 1, stride)
    w = torch.stack([x[:, s:s + IN + OUT] for s in starts], 1).reshape(-1, IN + OUT)
    return w[:, :IN].contiguous(), w[:, IN:].contiguous()


class Block(nn.Module):
    def __init__(self, pool, knots):
        super().__init__()
        self.pool, self.knots = pool, knots
        self.mlp = nn.Sequential(nn.Linear(IN // pool, 256), nn.ReLU(), nn.Linear(256, 256),
                                 nn.ReLU())
        self.back = nn.Linear(256, IN)
        self.fore = nn.Linear(256, knots)

    def forward(self, x):
        h = self.mlp(F.max_pool1d(x[:, None], self.pool).squeeze(1))
        f = F.interpolate(self.fore(h)[:, None], size=OUT, mode="linear",
                          align_corners=True).squeeze(1)
        return self.back(h), f


class NHiTS(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(8, 4), Block(4, 12), Block(1, 24)])

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        sd = x.std(1, keepdim=True)
        z = (x - mu) / sd
        forecast = 0
        for block in self.blocks:
            back, f = block(z)
            z = z - back
            forecast = forecast + f
        return forecast * sd + mu


def build():
    torch.manual_seed(0)
    return NHiTS()


def main():
    from _sixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = sensor_series(g)
    tx, ty = windows(x, 0, SPLIT, 4)
    vx, vy = windows(x, SPLIT - IN, LENGTH, 4)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "forecast_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["step", "epoch", "train_mse", "val_mse", "val_mae"])
    step = 0
    for epoch in range(6):
        model.train()
        for idx in torch.randperm(len(tx), generator=g).split(128):
            loss = F.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.writerow([step, epoch, round(loss.item(), 5), "", ""])
        model.eval()
        with torch.no_grad():
            pred = model(vx)
            vm, va = F.mse_loss(pred, vy).item(), F.l1_loss(pred, vy).item()
        log.writerow([step, epoch, "", round(vm, 5), round(va, 5)])
        print(epoch, step, round(loss.item(), 4), round(vm, 4), round(va, 4))
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch,
                "global_step": step}, out / "nhits_last.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["numerical_log_or_div_zero"],
           checkpoint="nhits_last.pt", log="forecast_log.csv",
           what="N-HiTS-style forecaster, per-window std normalisation without epsilon, "
                "one flat (stuck-sensor) training window",
           complaint="the forecaster trained fine for a bit and then the training loss turned "
                     "into nan and never came back; the validation numbers are nan too")


if __name__ == "__main__":
    main()
