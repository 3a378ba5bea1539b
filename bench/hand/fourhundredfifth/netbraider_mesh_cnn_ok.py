"""Plain torch: a CNN with batch norm checks the camera patches a netbraider's knotting
machine takes of fresh netting (24×24 px, grey, twine bright on a dark belt) and names each:
good mesh, broken bar (a stretch of twine between two knots missing), slipped knot (one knot
pulled 2-3 px off the lattice, so its four bars bend to it) and tangle (a clump of loose twine
lying on the mesh). The netting is a diamond lattice of knots at mesh size 7-10 px, turned
35-55° on the belt, twine 1 px wide with knots brighter and bigger; the belt lighting falls off
across the patch, with sensor noise. Input: (1, 24, 24), brightness minus 0.3, over 0.3.
Model: Conv 1→16 (3×3) + BN + ReLU + MaxPool2, Conv 16→32 + BN + ReLU + MaxPool2, Conv 32→48
+ BN + ReLU, global average pool, Linear 48→4; cross-entropy, SGD 0.05 (Nesterov momentum 0.9,
weight decay 5e-4) with CosineAnnealingLR over 8 epochs, batch 40, 1600 patches, validation
on 400.
Healthy; numbers in the README.
Log: JSON lines per epoch ``mesh_epochs.jsonl`` (``epoch`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_acc`` / ``val_acc_slipped``); checkpoint ``mesh_cnn.pth`` with keys
``weights`` / ``sgd_state`` / ``cosine`` / ``epoch`` / ``classes`` / ``px_offset_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 24
CLASSES = ["good", "broken_bar", "slipped_knot", "tangle"]


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    xx, yy = xx.expand(n, S, S), yy.expand(n, S, S)
    mesh = (7 + 3 * r(n, 1, 1))
    th = math.radians(35) + math.radians(20) * r(n, 1, 1)
    ox, oy = S * r(n, 1, 1), S * r(n, 1, 1)
    u = ((xx - ox) * torch.cos(th) + (yy - oy) * torch.sin(th)) / mesh
    v = (-(xx - ox) * torch.sin(th) + (yy - oy) * torch.cos(th)) / mesh
    # slipped knot: the knot nearest the centre pulled off the lattice, its bars bend to it
    cu = ((S / 2 - ox) * torch.cos(th) + (S / 2 - oy) * torch.sin(th)) / mesh
    cv = (-(S / 2 - ox) * torch.sin(th) + (S / 2 - oy) * torch.cos(th)) / mesh
    ku, kv = cu.round(), cv.round()
    slip = (cls == 2).float().view(n, 1, 1) * (2 + r(n, 1, 1)) / mesh
    ang = 2 * math.pi * r(n, 1, 1)
    pull = torch.exp(-((u - ku) ** 2 + (v - kv) ** 2) / 0.18)
    u = u - slip * torch.cos(ang) * pull
    v = v - slip * torch.sin(ang) * pull
    du, dv = (u - u.round()).abs() * mesh, (v - v.round()).abs() * mesh
    twine = torch.exp(-du ** 2 / 0.5) + torch.exp(-dv ** 2 / 0.5)
    knot = 0.8 * torch.exp(-(du ** 2 + dv ** 2) / 1.5)
    img = twine.clamp(max=1.0) + knot
    # broken bar: the bar from the centre knot along u (or v) is gone
    along_u = r(n, 1, 1) < 0.5
    on_bar = torch.where(along_u, (v.round() == kv) & (u > ku + 0.2) & (u < ku + 0.8),
                         (u.round() == ku) & (v > kv + 0.2) & (v < kv + 0.8))
    img = torch.where(on_bar & (cls == 1).view(n, 1, 1), 0.05 * img, img)
    # tangle: a clump of loose twine somewhere on the patch
    tx, ty = 6 + 12 * r(n, 1, 1), 6 + 12 * r(n, 1, 1)
    clump = torch.exp(-((xx - tx) ** 2 + (yy - ty) ** 2) / (4 + 4 * r(n, 1, 1)))
    wisp = 0.5 + 0.5 * torch.sin(3 * xx + 2 * yy + 6 * r(n, 1, 1))
    img = img + (cls == 3).float().view(n, 1, 1) * 1.2 * clump * wisp
    light = 0.7 + 0.3 * (1 - (xx * r(n, 1, 1) + yy * r(n, 1, 1)) / (2 * S))
    img = img * light + 0.08 * torch.randn(n, S, S, generator=g)
    return ((img - 0.3) / 0.3).unsqueeze(1), cls


class MeshCNN(nn.Module):
    def __init__(self):
        super().__init__()
        block = lambda i, o: [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]  # noqa
        self.features = nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32),
                                      nn.MaxPool2d(2), *block(32, 48), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(48, 4)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


def build():
    torch.manual_seed(0)
    return MeshCNN()


def main():
    from _fourhundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1600, g)
    xva, yva = patches(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
    with open(out / "mesh_epochs.jsonl", "w") as log:
        for epoch in range(8):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = {"epoch": epoch, "lr": lr, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.cross_entropy(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_acc_slipped": round((pred[yva == 2] == 2).float().mean().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 8, "classes": CLASSES,
                "px_offset_scale": (0.3, 0.3)}, out / "mesh_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="mesh_cnn.pth", log="mesh_epochs.jsonl",
           what="CNN with batch norm naming good mesh / broken bar / slipped knot / tangle in a"
                " net braiding machine's camera patch (healthy)")


if __name__ == "__main__":
    main()
