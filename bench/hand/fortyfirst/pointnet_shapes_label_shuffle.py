"""PointNet on synthetic 3-D point clouds: 64 points sampled on the surface of a sphere, a
cube, a cylinder or a cone (random size 0.7–1.3, random rotation about the vertical axis,
Gaussian jitter 0.03). A shared per-point MLP (``Conv1d`` kernel 1: 3 → 32 → 64 → 128, ReLU),
max pooling over the points, then 128 → 64 → 4 with dropout 0.2. Adam 1e-3, batch 32,
12 epochs, 1200 training clouds, 400 validation clouds; the log is a CSV per epoch
(``loss_train``, ``loss_val``, ``acc_val``).
Bug: the training clouds and labels are kept in two Python lists, and the "shuffle the
training set once" line was written as ``random.shuffle(train_labels)``: the labels are
shuffled on their own, so a training cloud's label is another cloud's (the validation set,
built separately, is labelled correctly)."""
import csv
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

PTS, SHAPES = 64, 4


def cloud(kind, g):
    u = torch.rand(PTS, 2, generator=g)
    if kind == 0:  # sphere
        v = torch.randn(PTS, 3, generator=g)
        p = v / v.norm(dim=1, keepdim=True)
    elif kind == 1:  # cube: a face, then a point on it
        face = torch.randint(0, 6, (PTS,), generator=g)
        axis, sign = face % 3, (face // 3).float() * 2 - 1
        p = torch.rand(PTS, 3, generator=g) * 2 - 1
        p[torch.arange(PTS), axis] = sign
    elif kind == 2:  # cylinder (side and caps)
        a = u[:, 0] * 2 * math.pi
        z = u[:, 1] * 2 - 1
        p = torch.stack([torch.cos(a), torch.sin(a), z], 1)
        cap = torch.rand(PTS, generator=g) < 0.25
        r = torch.sqrt(torch.rand(PTS, generator=g))
        p[cap, 0], p[cap, 1] = r[cap] * torch.cos(a[cap]), r[cap] * torch.sin(a[cap])
        p[cap, 2] = torch.sign(z[cap])
    else:  # cone, apex up
        a = u[:, 0] * 2 * math.pi
        h = torch.sqrt(u[:, 1])
        p = torch.stack([h * torch.cos(a), h * torch.sin(a), 1 - 2 * h], 1)
    theta = float(torch.rand(1, generator=g)) * 2 * math.pi
    c, s = math.cos(theta), math.sin(theta)
    rot = torch.tensor([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    scale = 0.7 + 0.6 * float(torch.rand(1, generator=g))
    return (p @ rot.T) * scale + 0.03 * torch.randn(PTS, 3, generator=g)


def shapes(n, g):
    y = torch.randint(0, SHAPES, (n,), generator=g)
    return [cloud(int(k), g).T.contiguous() for k in y], [int(k) for k in y]


class PointNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.shared = nn.Sequential(nn.Conv1d(3, 32, 1), nn.ReLU(), nn.Conv1d(32, 64, 1),
                                    nn.ReLU(), nn.Conv1d(64, 128, 1), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.2),
                                  nn.Linear(64, SHAPES))

    def forward(self, pts):  # (B, 3, N)
        return self.head(self.shared(pts).amax(2))


def build():
    torch.manual_seed(0)
    return PointNet()


def main():
    from _fortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_clouds, train_labels = shapes(1200, g)
    val_clouds, val_labels = shapes(400, g)
    random.seed(0)
    random.shuffle(train_labels)
    tx, ty = torch.stack(train_clouds), torch.tensor(train_labels)
    vx, vy = torch.stack(val_clouds), torch.tensor(val_labels)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "pointnet_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss_train", "loss_val", "acc_val"])
    for epoch in range(12):
        model.train()
        total, seen = 0.0, 0
        for idx in torch.randperm(1200, generator=g).split(32):
            loss = F.cross_entropy(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, seen = total + loss.item() * len(idx), seen + len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = F.cross_entropy(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, round(total / seen, 4), round(vl, 4), round(acc, 4)])
        print(epoch, round(total / seen, 4), round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
               out / "pointnet_shapes.pt")
    finish(out, __file__, (tx[:32], ty[:32]), causes=["labels_wrong"],
           checkpoint="pointnet_shapes.pt", log="pointnet_log.csv",
           what="PointNet shape classifier, random.shuffle on the training label list only",
           complaint="the point-cloud classifier never gets going: training loss sits around "
                     "1.38 and validation accuracy is about 25 %, even for spheres vs cubes")


if __name__ == "__main__":
    main()
