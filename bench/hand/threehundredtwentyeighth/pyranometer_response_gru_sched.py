"""Plain torch: a GRU undoes a thermopile pyranometer's slow response, giving the true global
irradiance second by second from the sensor's lagging output, for a solar plant's ramp-rate
monitoring. The sensor is a first-order system, dy/dt = (E - y) / tau, tau 4-9 s (95 %
response 12-27 s, a class-B instrument), with a thermal offset of -(2-12) W/m² that scales
with the net infrared loss (second channel: the pyrgeometer's net IR, -20 to -120 W/m²), and
1 W/m² read noise. The true irradiance is a clear-sky level (600-1000 W/m²) cut by passing
clouds: steps and 5-30 s ramps down to 20-50 % and back. 80 s sequences at 1 Hz.
Input: (80, 2): sensor output / 1000 and net IR / 100. Target per step: true irradiance /
1000. Model: GRU 2->48 (1 layer), Linear 48->1 on every step; MSE, Adam 3e-3 with
StepLR(step_size=6, gamma=0.5) meant per epoch, batch 32, 24 epochs, 640 sequences,
validation on 160.
The bug: ``sched.step()  # halve the rate every 6`` sits in the batch loop, after
``opt.step()``, so the rate halves every 6 batches (20 batches per epoch) instead of every 6
epochs: 3e-3 → 3.0e-4 after epoch 1, 3.0e-6 after epoch 4 and about 1e-23 by the end.
Measured: val MSE 0.0113 → 0.0105 and stuck from epoch 3, val MAE 74 W/m² (control,
``sched.step()`` once per epoch: val MSE 0.0088 → 0.00018, MAE 8.1 W/m²).
Log: JSON lines ``pyr_gru.jsonl``, ``{"step", "epoch", "lr", "mse"}`` every 5 steps and
``{"epoch", "val_mse", "val_mae_wm2", "val_mae_ramps_wm2"}`` per epoch; checkpoint
``gru_pyr.ckpt`` with keys ``gru_state`` / ``optim`` / ``sched`` / ``epoch`` /
``tau_range_s`` / ``w_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 80


def sequences(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    level = 600 + 400 * r(n, 1)
    e = level.expand(n, T).clone()
    t = torch.arange(T).float()
    for _ in range(2):  # up to two cloud passages
        start = 5 + 60 * r(n, 1)
        ramp = 1 + 29 * r(n, 1) * (r(n, 1) < 0.6)
        dur = 8 + 30 * r(n, 1)
        depth = 0.5 + 0.3 * r(n, 1)
        on = (t - start).clamp(0) / ramp
        off = (t - start - dur).clamp(0) / ramp
        cut = depth * (on.clamp(max=1) - off.clamp(max=1)) * (r(n, 1) < 0.8)
        e = e * (1 - cut)
    tau = 4 + 5 * r(n, 1)
    ir = -20 - 100 * r(n, 1) + 3 * torch.randn(n, T, generator=g)
    off = (0.02 + 0.08 * r(n, 1)) * ir
    a = 1 - torch.exp(-1 / tau)
    y = torch.zeros(n, T)
    s = e[:, :1].clone()
    for k in range(T):
        s = s + a * (e[:, k:k + 1] - s)
        y[:, k:k + 1] = s
    y = y + off + torch.randn(n, T, generator=g)
    x = torch.stack([y / 1000, ir / 100], 2)
    return x, (e / 1000).unsqueeze(2)


class Deconv(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Deconv()


def main():
    from _threehundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sequences(640, g)
    xva, yva = sequences(160, g)
    ramp = (yva[:, 1:] - yva[:, :-1]).abs() > 0.005
    print("target var", ytr.var().item(), "ramp share", ramp.float().mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)
    step = 0
    with open(out / "pyr_gru.jsonl", "w") as f:
        for epoch in range(24):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()  # halve the rate every 6
                step += 1
                if step % 5 == 0:
                    f.write(json.dumps({"step": step, "epoch": epoch,
                                        "lr": opt.param_groups[0]["lr"],
                                        "mse": round(loss.item(), 7)}) + "\n")
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            err = (pv - yva).abs() * 1000
            rec = {"epoch": epoch, "val_mse": round(F.mse_loss(pv, yva).item(), 7),
                   "val_mae_wm2": round(err.mean().item(), 4),
                   "val_mae_ramps_wm2": round(err[:, 1:][ramp].mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec, opt.param_groups[0]["lr"])
    torch.save({"gru_state": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 24, "tau_range_s": (4, 9),
                "w_scale": {"sensor": 1000, "net_ir": 100}}, out / "gru_pyr.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="gru_pyr.ckpt", log="pyr_gru.jsonl",
           what="GRU undoing a thermopile pyranometer's first-order lag, per-second irradiance;"
                " an epoch StepLR stepped after every batch",
           complaint="")


if __name__ == "__main__":
    main()
