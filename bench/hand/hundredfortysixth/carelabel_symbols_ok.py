"""Laundry intake: a laundry-and-dry-cleaning counter photographs the care label of every garment,
and a small CNN reads the first care symbol so the garment is routed to wash, bleach-safe wash,
tumble dry, iron-only or dry cleaning: washtub (a trapezoid with a wavy water line), triangle
(bleach), square with a circle (tumble dry), iron (a flat base with a sloped handle) and circle
(professional cleaning). Synthetic 28×28 grey crops of printed symbols: random scale 0.8–1.15,
shift ±3 px, line width 1–2 px, faded print (contrast 0.5–1.0), woven-label texture (a fine
diagonal grid), blur and noise 0.15; 1 of 4 symbols also shows a crossed-out bar (a "do not"
variant, same route here), so the classifier must not rely on the diagonal strokes.
CNN: Conv 1→16 k3, ReLU, MaxPool, Conv 16→32 k3, ReLU, MaxPool, Conv 32→32 k3, ReLU, global
max pool, dropout 0.25, Linear 32 → 5. SGD lr 0.05, momentum 0.9, weight decay 5e-4, batch 64,
step decay ×0.3 at epoch 6, 8 epochs of 2000 crops; the log is a JSON file (a list of dicts,
rewritten every epoch) with ``epoch``, ``lr``, ``loss_tr``, ``acc_tr``, ``loss_va``, ``acc_va``.
Healthy, with a slow start: val accuracy 0.28 after epoch 1 (train loss 1.57 ≈ ln 5), then
0.69, 0.93, 0.95, 0.98, 0.98, and 0.992, 0.996 after the decay; the val loss (0.0155 at the
end) sits below the train loss (0.047) every epoch (dropout and the running train average)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 28
ROUTES = ["washtub", "bleach", "tumble", "iron", "dryclean"]


def seg(yy, xx, p, q, wd):
    """distance mask of the segment p→q"""
    d = q - p
    tt = (((yy - p[0]) * d[0] + (xx - p[1]) * d[1]) / (d @ d)).clamp(0, 1)
    return ((yy - p[0] - tt * d[0]) ** 2 + (xx - p[1] - tt * d[1]) ** 2).sqrt() < wd


def symbol(k, yy, xx, sc, wd):
    c = 14.0
    r = 8 * sc
    T = torch.tensor
    m = torch.zeros(S, S, dtype=torch.bool)
    if k == 0:  # washtub
        for p, q in [((c - r / 2, c - r), (c + r, c - r * 0.7)), ((c + r, c - r * 0.7), (c + r, c + r * 0.7)),
                     ((c + r, c + r * 0.7), (c - r / 2, c + r))]:
            m |= seg(yy, xx, T(p), T(q), wd)
        wave = c - r / 2 + 1.5 * torch.sin(xx * 1.2)
        m |= ((yy - wave).abs() < wd) & ((xx - c).abs() < r)
    elif k == 1:  # triangle
        for p, q in [((c - r, c), (c + r * 0.8, c - r)), ((c + r * 0.8, c - r), (c + r * 0.8, c + r)),
                     ((c + r * 0.8, c + r), (c - r, c))]:
            m |= seg(yy, xx, T(p), T(q), wd)
    elif k == 2:  # square with a circle
        box = (torch.maximum((yy - c).abs(), (xx - c).abs()) - r).abs() < wd
        ring = ((((yy - c) ** 2 + (xx - c) ** 2).sqrt()) - 0.65 * r).abs() < wd
        m |= box | ring
    elif k == 3:  # iron
        for p, q in [((c + r * 0.6, c - r), (c + r * 0.6, c + r)), ((c + r * 0.6, c - r), (c - r * 0.4, c - r * 0.2)),
                     ((c - r * 0.4, c - r * 0.2), (c - r * 0.4, c + r * 0.7)),
                     ((c - r * 0.4, c + r * 0.7), (c + r * 0.6, c + r))]:
            m |= seg(yy, xx, T(p), T(q), wd)
    else:  # circle
        m |= ((((yy - c) ** 2 + (xx - c) ** 2).sqrt()) - r).abs() < wd
    return m.float()


def crops(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 5, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        m = symbol(int(y[i]), yy, xx, 0.8 + 0.35 * r(), 0.6 + 0.5 * r())
        if r() < 0.25:
            m = torch.maximum(m, seg(yy, xx, torch.tensor([4.0, 4.0]), torch.tensor([24.0, 24.0]), 0.9).float())
        m = torch.roll(m, (int(7 * r()) - 3, int(7 * r()) - 3), (0, 1))
        img[i, 0] = m * (0.5 + 0.5 * r())
    img = F.avg_pool2d(F.pad(img, (1, 1, 1, 1), mode="replicate"), 3, 1)
    grid = 0.08 * torch.sin((yy + xx) * 2.1) * torch.sin((yy - xx) * 2.1)
    img = img + grid + 0.15 * torch.randn(img.shape, generator=g)
    return (img - 0.12) / 0.25, y


class CareNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.drop(self.body(x).amax((2, 3))))


def build():
    torch.manual_seed(0)
    return CareNet()


def main():
    from _hundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = crops(2500, g)
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)
    gen = torch.Generator().manual_seed(1)
    history = []
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(2000, generator=gen)
        tot, hit = 0.0, 0
        for i in range(0, 2000, 64):
            idx = perm[i:i + 64]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (lo.argmax(1) == ytr[idx]).sum().item()
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        history.append({"epoch": epoch, "lr": lr, "loss_tr": round(tot / 2000, 4),
                        "acc_tr": round(hit / 2000, 4),
                        "loss_va": round(F.cross_entropy(lo, yva).item(), 4),
                        "acc_va": round((lo.argmax(1) == yva).float().mean().item(), 4)})
        print(history[-1])
        (out / "history.json").write_text(json.dumps(history, indent=1))
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "scheduler": sched.state_dict(), "epochs_done": 8, "routes": ROUTES},
               out / "carenet_final.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="carenet_final.pth", log="history.json",
           what="laundry care-label symbol CNN, SGD with a step decay (healthy)")


if __name__ == "__main__":
    main()
