"""Machined parts on a conveyor (16x16 grey crops: washer, hex nut, bracket, spring) into 4
classes with a BatchNorm CNN under mixed precision (``torch.autocast`` with bfloat16 -- the
CPU's half type -- around the forward pass and the loss; the weights and optimizer stay
float32). SGD 0.05 + Nesterov momentum, weight decay 5e-4, OneCycleLR stepped per batch (as
it should be), batch 64, 7 epochs, random flips. Healthy: val accuracy 0.99 at the end; the val
curve is bumpy at the one-cycle peak (0.67-0.88 in epochs 1-4)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16


def parts(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    r = torch.linspace(-1, 1, S)
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cx = 0.15 * torch.randn(n, 1, 1, generator=g)
    cy = 0.15 * torch.randn(n, 1, 1, generator=g)
    dist = ((xx - cx) ** 2 + (yy - cy) ** 2).sqrt()
    ang = torch.atan2(yy - cy, xx - cx)
    washer = ((dist > 0.3) & (dist < 0.7)).float()
    nut = (dist * torch.cos(torch.remainder(ang, torch.pi / 3) - torch.pi / 6) < 0.6).float() * (
        dist > 0.25).float()
    bracket = (((xx - cx).abs() < 0.2) | ((yy - cy).abs() < 0.2)).float() * (dist < 0.8).float()
    spring = (torch.sin(10 * (yy - cy)) > 0.3).float() * ((xx - cx).abs() < 0.35).float()
    shapes = torch.stack([washer, nut, bracket, spring], 1)
    img = shapes[torch.arange(n), y] * (0.7 + 0.3 * torch.rand(n, 1, 1, generator=g))
    img = img + 0.25 * torch.randn(n, S, S, generator=g)
    return ((img - 0.3) / 0.45).unsqueeze(1), y


class PartsNet(nn.Module):
    def __init__(self):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o),
                                 nn.ReLU(inplace=True))
        self.features = nn.Sequential(block(1, 16), nn.MaxPool2d(2), block(16, 32),
                                      nn.MaxPool2d(2), block(32, 32), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


def build():
    torch.manual_seed(0)
    return PartsNet()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = parts(1400, g), parts(400, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    epochs, bs = 7, 64
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=epochs,
                                                steps_per_epoch=(len(x) + bs - 1) // bs)
    with open(out / "parts_log.jsonl", "w") as f:
        for epoch in range(epochs):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            for i in range(0, len(x), bs):
                idx = perm[i:i + bs]
                xb = torch.where(torch.rand(len(idx), 1, 1, 1, generator=g) < 0.5,
                                 x[idx].flip(3), x[idx])
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    logits = model(xb)
                    loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
                vo = model(vx)
                vloss = F.cross_entropy(vo, vy).item()
            rec = {"epoch": epoch, "loss": tot / len(x), "acc": hit / len(x), "val_loss": vloss,
                   "val_acc": (vo.argmax(1) == vy).float().mean().item(),
                   "lr": sched.get_last_lr()[0]}
            f.write(json.dumps(rec) + "\n")
            print({k: round(v, 4) for k, v in rec.items()})
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": epoch}, out / "parts_cnn.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="parts_cnn.pt",
           log="parts_log.jsonl",
           what="BN CNN under bfloat16 autocast, SGD Nesterov + OneCycle per batch (healthy)")


if __name__ == "__main__":
    main()
