"""Reaction-wheel health from a small satellite's housekeeping telemetry: synthetic 128-sample
windows (one sample per 4 s) of 4 channels — wheel speed, motor current, bearing temperature
and the accelerometer's vibration RMS — during attitude manoeuvres (a random torque-command
profile). Four classes: nominal; bearing friction (the current carries an extra term that
grows with |speed| and the temperature creeps up); cage instability (intermittent vibration
bursts with current spikes); driver degradation (the current saturates early and the speed
shows a ripple). A conv encoder (4 conv blocks with batch norm, 64 features, global average
pool) and a linear head; the encoder is built to be pre-trained on unlabelled telemetry, but
no pre-trained weights exist for this bus, so the whole model is trained from a random init.
Adam 2e-3, batch 64, 10 epochs of 1600 windows; JSON lines: ``train/loss`` every 20 steps,
``val/loss`` and ``val/acc`` at each epoch end (separate rows, each with ``step``).
Bug: ``forward`` still has ``z = self.encoder(x).detach()`` from the frozen-feature-extractor
experiment, so no gradient reaches the encoder: only the head learns, on random features (the
batch-norm running statistics still move). Val loss 1.32 → 0.79 and val accuracy 0.43 → 0.765
over 10 epochs, the last train loss 0.81, creeping down ~0.03 per epoch; the control (no
``.detach()``) reaches val accuracy 0.84 after epoch 1 and 0.925 at the end, val loss 0.17,
train loss 0.12."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 128
FAULTS = ["nominal", "bearing_friction", "cage_instability", "driver_degradation"]


def telemetry(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    cmd = torch.zeros(n, T)
    for _ in range(3):
        cmd = cmd + (r(n, 1) - 0.5) * torch.sin(6.283 * (1 + 3 * r(n, 1)) * t + 6 * r(n, 1))
    speed = torch.cumsum(cmd, 1) / 20 + (r(n, 1) - 0.5) * 2
    current = cmd + 0.05 * torch.randn(n, T, generator=g)
    temp = 0.2 * torch.randn(n, 1, generator=g) + 0.02 * torch.randn(n, T, generator=g)
    vib = 0.3 + 0.05 * torch.randn(n, T, generator=g)
    is_ = [(y == k).float()[:, None] for k in range(4)]
    sev = 0.5 + r(n, 1)
    current = current + is_[1] * 0.35 * sev * speed.abs()
    temp = temp + is_[1] * 0.5 * sev * t
    bursts = (torch.sin(6.283 * (3 + 4 * r(n, 1)) * t + 6 * r(n, 1)) > 0.8).float()
    vib = vib + is_[2] * 0.25 * sev * bursts
    current = current + is_[2] * 0.15 * sev * bursts * torch.randn(n, T, generator=g)
    lim = 0.15 + 0.1 * r(n, 1)
    current = torch.where(is_[3] > 0, current.clamp(-lim, lim), current)
    speed = speed + is_[3] * 0.08 * sev * torch.sin(6.283 * 12 * t)
    x = torch.stack([speed, current * 2, temp, (vib - 0.3) * 4], 1)
    return x, y


class WheelNet(nn.Module):
    def __init__(self):
        super().__init__()
        blocks, c = [], 4
        for co in (32, 64, 64, 64):
            blocks += [nn.Conv1d(c, co, 5, padding=2), nn.BatchNorm1d(co), nn.ReLU()]
            c = co
        self.encoder = nn.Sequential(*blocks, nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        z = self.encoder(x).detach()
        return self.head(z)


def build():
    torch.manual_seed(0)
    return WheelNet()


def main():
    from _hundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = telemetry(1600, g)
    xva, yva = telemetry(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "wheel_log.jsonl", "w")
    step = 0
    for epoch in range(10):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0:
                log.write(json.dumps({"step": step, "train/loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"step": step, "epoch": epoch, "val/loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val/acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, round(loss.item(), 4))
    log.close()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "epoch": 9, "faults": FAULTS}, out / "wheelnet_step250.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="wheelnet_step250.pt", log="wheel_log.jsonl",
           what="reaction-wheel fault CNN, encoder output .detach()-ed, trained from random init",
           complaint="Our reaction-wheel fault classifier trains far too slowly. After 10 epochs "
                     "(250 steps) the training loss is still 0.81, validation loss 0.79 and "
                     "validation accuracy 0.765, and it only creeps down by ~0.03 per epoch. The "
                     "faults are easy to see by eye in the telemetry, so I expected well over 90 %.")


if __name__ == "__main__":
    main()
