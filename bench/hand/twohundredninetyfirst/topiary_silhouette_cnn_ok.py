"""Plain torch: a small 2-D CNN with batch norm sorts topiary pieces by their cut shape from a
24×24 silhouette (a photo of the piece against a white screen, thresholded and shrunk), so a
topiary nursery's stock list can be filled in from the yard photos: ball, cone, tiered
(two or three stacked balls), spiral, or a cube / box. The silhouettes vary in size and position in the
frame, lean up to 8°, and carry the shoots that have grown out since the last clip (random
pixels added along the outline) and a pot of varying height at the bottom.
Input: (n, 1, 24, 24) in {0, 1}; 5 classes, 2000 pieces for training, 500 for validation.
Conv 1→16 k3 + BN + ReLU, max-pool 2, 16→32 k3 + BN + ReLU, max-pool 2, 32→32 k3 + BN + ReLU,
global average pool → 32→5; cross-entropy with label smoothing 0.05, SGD momentum 0.9 at 0.05
with CosineAnnealingLR over 14 epochs, weight decay 5e-4, batch 50.
Healthy; numbers in the README.
Log: JSON lines per epoch ``shape_log.jsonl`` (``epoch`` / ``lr`` / ``train_ce`` /
``train_acc`` / ``val_ce`` / ``val_acc`` / ``val_confusions``, the off-diagonal count);
checkpoint ``silhouette_cnn.pt`` with keys ``model_state_dict`` / ``optimizer_state_dict`` /
``scheduler_state_dict`` / ``epoch`` / ``classes``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["ball", "cone", "tiered", "spiral", "box"]
R = 24


def silhouettes(n, g):
    yy, xx = torch.meshgrid(torch.arange(R).float(), torch.arange(R).float(), indexing="ij")
    cls = torch.randint(0, 5, (n,), generator=g)
    imgs = torch.zeros(n, 1, R, R)
    for i in range(n):
        s = 0.75 + 0.35 * torch.rand(1, generator=g).item()
        cx = 12 + 2 * (torch.rand(1, generator=g).item() - 0.5) * 2
        pot = 2 + int(3 * torch.rand(1, generator=g).item())
        lean = math.radians(8) * (2 * torch.rand(1, generator=g).item() - 1)
        top, base = 2.0, R - pot  # crown from row top to row base
        v = (base - yy) / (base - top)  # 0 at the pot rim, 1 at the crown top
        u = (xx - cx - lean * (base - yy)) / s
        c = cls[i].item()
        if c == 0:
            m = (u ** 2 + ((v - 0.5) * 10 / s) ** 2) < (5.0) ** 2
        elif c == 1:
            m = (u.abs() < 8 * (1 - v)) & (v > 0) & (v < 1)
        elif c == 2:
            m = torch.zeros(R, R, dtype=torch.bool)
            for cy, r in [(0.2, 4.5), (0.55, 3.5), (0.85, 2.5)]:
                m |= (u ** 2 + ((v - cy) * 20 / s) ** 2) < r ** 2
        elif c == 3:
            w = 5.5 * (1 - 0.6 * v)
            m = (u.abs() < w) & (v > 0) & (v < 1) & (torch.sin(v * 4 * math.pi + u / 3) > -0.2)
        else:
            m = (u.abs() < 6) & (v > 0.05) & (v < 0.8)
        img = m.float()
        img[base:, int(cx) - 3:int(cx) + 3] = 1.0  # the pot
        edge = F.max_pool2d(img[None, None], 3, 1, 1)[0, 0] - img
        shoots = (torch.rand(R, R, generator=g) < 0.25).float() * edge
        imgs[i, 0] = (img + shoots).clamp(max=1)
    return imgs, cls


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 5))


def main():
    from _twohundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = silhouettes(2000, g)
    xva, yva = silhouettes(500, g)
    print("classes", torch.bincount(ytr).tolist(), "fill", xtr.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)
    f = open(out / "shape_log.jsonl", "w")
    for epoch in range(14):
        model.train()
        tot, hit = 0.0, 0
        for xb, yb in loader:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
            hit += (logits.argmax(1) == yb).sum().item()
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vce = F.cross_entropy(logits, yva).item()
            pred = logits.argmax(1)
        rec = {"epoch": epoch, "lr": round(lr, 6), "train_ce": round(tot / len(xtr), 5),
               "train_acc": round(hit / len(xtr), 4), "val_ce": round(vce, 5),
               "val_acc": round((pred == yva).float().mean().item(), 4),
               "val_confusions": int((pred != yva).sum().item())}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict(), "epoch": 14, "classes": CLASSES},
               out / "silhouette_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="silhouette_cnn.pt", log="shape_log.jsonl",
           what="2-D CNN with batch norm sorting topiary pieces by cut shape from a yard-photo"
                " silhouette (healthy)")


if __name__ == "__main__":
    main()
