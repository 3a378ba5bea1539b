"""Plain torch: a 1-D CNN with BatchNorm classifies how a locomotive turntable's bridge came to
rest at a road, from the 64-sample trace of the stop (3 channels: bridge angle error from the
road's locking position, drive motor current, brake pressure). 3 classes: locked clean,
overshoot (the error swings past zero before settling, the motor reverses), undershoot (the
brake bites early and the error settles short of zero). Second-order settling with class-
dependent damping and final offset, random start error and timing, sensor noise.
Conv1d 3→16→32 (k=5, BatchNorm, ReLU, max pool) → global average → Linear 32→3, cross-
entropy, SGD momentum 0.9 lr 0.05 with cosine annealing per epoch, batch 48, 14 epochs of 960
stops, validation on 240 (val CE, val acc).
Healthy; numbers in the README. Log: JSON lines per epoch (``epoch`` / ``train_ce`` /
``val_ce`` / ``val_acc`` / ``lr``); checkpoint keys ``net`` / ``opt`` / ``sched`` /
``epoch``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 64


def stops(n, g):
    cls = torch.randint(0, 3, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    e0 = 2 + 3 * torch.rand(n, 1, generator=g)
    zeta = torch.where(cls == 1, 0.15, 0.8).unsqueeze(1) + 0.1 * torch.rand(n, 1, generator=g)
    off = torch.where(cls == 2, 0.25 + 0.3 * torch.rand(n, generator=g), 0.0).unsqueeze(1)
    w = 14 + 4 * torch.rand(n, 1, generator=g)
    wd = w * (1 - zeta ** 2).clamp(min=0.05).sqrt()
    err = off + (e0 - off) * torch.exp(-zeta * w * t) * torch.cos(wd * t)
    current = torch.gradient(err, dim=1)[0] * -20
    brake = torch.sigmoid((t - 0.35 + 0.15 * (cls == 2).float().unsqueeze(1)
                           - 0.05 * torch.rand(n, 1, generator=g)) * 25)
    x = torch.stack([err, current, brake], 1) + 0.9 * torch.randn(n, 3, T, generator=g)
    return x, cls


class StopNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2))
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return StopNet()


def main():
    from _twohundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stops(960, g)
    xva, yva = stops(240, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)
    gb = torch.Generator().manual_seed(1)
    with open(out / "epochs.jsonl", "w") as f:
        for epoch in range(14):
            model.train()
            tot = 0.0
            for idx in torch.randperm(960, generator=gb).split(48):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            rec = {"epoch": epoch, "train_ce": round(tot / 960, 5),
                   "val_ce": round(F.cross_entropy(logits, yva).item(), 5),
                   "val_acc": round((logits.argmax(1) == yva).float().mean().item(), 5),
                   "lr": round(lr, 6)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 14}, out / "stop_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="stop_cnn.pt",
           log="epochs.jsonl",
           what="turntable stop-trace 1-D CNN with BatchNorm, 3 classes (healthy)")


if __name__ == "__main__":
    main()
