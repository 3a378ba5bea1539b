"""PointNet-style classifier for small depth-sensor scans of four parts (ball, box, pipe, cone):
128 points per scan, each scan centred and scaled into the unit sphere as the PointNet
paper's loader does; a shared per-point MLP 3-64-128, a max-pool over the points, and a
128-64-4 head. AdamW 1e-3 (weight decay 0.01), 30 warm-up steps then cosine per step,
batch 8 (the per-step loss is noisy), 8 epochs, a JSON-lines log every 20 steps and per
epoch. Healthy: val accuracy 1.00 from epoch 2, val loss 0.016."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_POINTS, CLASSES = 128, 4


def scan(kind, g):
    u = torch.rand(N_POINTS, 2, generator=g)
    if kind == 0:  # ball
        v = torch.randn(N_POINTS, 3, generator=g)
        p = v / v.norm(dim=1, keepdim=True)
    elif kind == 1:  # box surface
        p = torch.rand(N_POINTS, 3, generator=g) * 2 - 1
        face = torch.randint(0, 3, (N_POINTS,), generator=g)
        p[torch.arange(N_POINTS), face] = torch.sign(torch.randn(N_POINTS, generator=g))
    elif kind == 2:  # pipe
        a = u[:, 0] * 2 * math.pi
        p = torch.stack([0.5 * a.cos(), 0.5 * a.sin(), u[:, 1] * 2 - 1], 1)
    else:  # cone
        a, h = u[:, 0] * 2 * math.pi, u[:, 1]
        p = torch.stack([(1 - h) * a.cos(), (1 - h) * a.sin(), 2 * h - 1], 1)
    t = float(torch.rand(1, generator=g)) * 2 * math.pi
    rot = torch.tensor([[math.cos(t), -math.sin(t), 0], [math.sin(t), math.cos(t), 0], [0, 0, 1.]])
    size = 50 + 100 * torch.rand(1, generator=g)  # millimetres
    where = torch.tensor([500., 300., 800.]) + 200 * torch.randn(3, generator=g)
    return (p @ rot.T) * size + where + 3 * torch.randn(N_POINTS, 3, generator=g)


def dataset(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    return torch.stack([scan(int(k), g) for k in y]), y


def normalise(pts):  # centre each scan, scale it into the unit sphere
    pts = pts - pts.mean(dim=1, keepdim=True)
    return pts / pts.norm(dim=2).amax(dim=1)[:, None, None]


class PointNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.point_mlp = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, CLASSES))

    def forward(self, pts):  # (B, N, 3)
        return self.head(self.point_mlp(pts).amax(dim=1))


def build():
    torch.manual_seed(0)
    return PointNet()


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = dataset(800, g)
    vx, vy = dataset(200, g)
    x, vx = normalise(x), normalise(vx)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    epochs, bs = 8, 8
    total = epochs * math.ceil(len(y) / bs)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / 30 if s < 30
        else 0.5 * (1 + math.cos(math.pi * (s - 30) / (total - 30))))
    log = open(out / "log.jsonl", "w")
    step = 0
    for epoch in range(epochs):
        model.train()
        for idx in torch.randperm(len(y), generator=g).split(bs):
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 20 == 0:
                log.write(json.dumps({"step": step, "loss": loss.item(),
                                      "lr": sched.get_last_lr()[0]}) + "\n")
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = F.cross_entropy(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": vl, "val_acc": acc}) + "\n")
        print(epoch, round(vl, 4), round(acc, 3))
    log.close()
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "scheduler": sched.state_dict()},
               out / "pointnet.pth")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="pointnet.pth",
           log="log.jsonl", what="PointNet on centred, unit-sphere scans (healthy)")


if __name__ == "__main__":
    main()
