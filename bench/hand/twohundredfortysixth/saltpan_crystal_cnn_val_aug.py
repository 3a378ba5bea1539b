"""Plain torch: a small CNN (no batch norm) grades salt raked from a salt pan from a 1×24×24
close-up photo: fleur de sel (thin flat flakes, fine lines), coarse grey salt (big cubic
grains) or fine salt (many small grains), a class set by the grains' size, shape and count,
on a wet mottled background with uneven light and noise. Conv(1→16)-ReLU-pool,
Conv(16→32)-ReLU-pool, Conv(32→32)-ReLU, global average pool, Linear(32→3); Adam 2e-3, batch 32,
15 epochs of 768 photos. A ``Dataset`` applies the training augmentation (flips, a ±3 px
shift, brightness and contrast jitter, extra noise and a 10×10 cut-out). Log: JSON lines,
step records (``step``, ``epoch``, ``loss``) every 8 steps and epoch records (``val_loss``,
``val_acc``); checkpoint ``weights`` / ``optimizer_state`` / ``iteration``.
Bug: the validation set is built with ``SaltPhotos(..., train=True, ...)``, so it is
augmented (cut-out, noise, jitter) anew at each evaluation: val loss 0.91, 0.60, 0.55, ...
0.24 (8), 0.29, 0.23, 0.18, 0.21, 0.19, 0.13, 0.16 at 15, val acc 0.59 → 0.93, jumping up and
down from epoch to epoch. Control (``train=False``): val loss 0.82 → 0.27 (5) → 0.081 (10) →
0.052 (14), 0.085 at 15, val acc 0.97–0.99 from epoch 10."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

P = 24


def photos(n, g):
    yy, xx = torch.meshgrid(torch.arange(P).float(), torch.arange(P).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    img = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=(P, P), mode="bilinear") * 0.3
    for i in range(n):
        k = int(y[i])
        count, size = [(4, 0.0), (3, 3.0), (14, 1.0)][k]
        for _ in range(count + int(torch.randint(0, 3, (1,), generator=g))):
            cy, cx = (2 + 20 * torch.rand(2, generator=g)).tolist()
            if k == 0:  # flake: a thin line
                ang = float(torch.rand(1, generator=g)) * 3.14
                d = ((yy - cy) * torch.cos(torch.tensor(ang))
                     - (xx - cx) * torch.sin(torch.tensor(ang))).abs()
                along = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
                img[i, 0] += 0.9 * ((d < 0.8) & (along < 5)).float()
            else:  # a square grain
                img[i, 0] += 0.9 * (((yy - cy).abs() < size) & ((xx - cx).abs() < size)).float()
    img = img + 0.1 * torch.randn(img.shape, generator=g)
    return (img - 0.5) / 0.35, y


class SaltPhotos(torch.utils.data.Dataset):
    def __init__(self, x, y, train, g):
        self.x, self.y, self.train, self.g = x, y, train, g

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i].clone()
        if self.train:
            r = torch.rand(6, generator=self.g)
            if r[0] < 0.5:
                x = x.flip(2)
            if r[1] < 0.5:
                x = x.flip(1)
            sh = torch.randint(-3, 4, (2,), generator=self.g).tolist()
            x = x.roll(sh, (1, 2))
            x = x * (0.7 + 0.6 * r[2]) + (r[3] - 0.5)
            x = x + 0.3 * torch.randn(x.shape, generator=self.g)
            cy, cx = int(r[4] * 14), int(r[5] * 14)
            x[:, cy:cy + 10, cx:cx + 10] = 0.0
        return x, self.y[i]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(32, 3))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = photos(1024, g)
    torch.manual_seed(0)
    train_ds = SaltPhotos(x[:768], y[:768], train=True, g=g)
    val_ds = SaltPhotos(x[768:], y[768:], train=True, g=g)
    train = torch.utils.data.DataLoader(train_ds, batch_size=32, shuffle=True, generator=g)
    val = torch.utils.data.DataLoader(val_ds, batch_size=256)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    it = 0
    with open(out / "salt_log.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            for xb, yb in train:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                if it % 8 == 0:
                    log.write(json.dumps({"step": it, "epoch": epoch + 1,
                                          "loss": round(loss.item(), 4)}) + "\n")
            model.eval()
            tot, hit = 0.0, 0
            with torch.no_grad():
                for xb, yb in val:
                    lv = model(xb)
                    tot += F.cross_entropy(lv, yb, reduction="sum").item()
                    hit += (lv.argmax(1) == yb).sum().item()
            rec = {"step": it, "epoch": epoch + 1, "val_loss": round(tot / 256, 4),
                   "val_acc": round(hit / 256, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec, round(loss.item(), 4))
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "iteration": it}, out / "salt_grader.pt")
    finish(out, __file__, (x[768:832], y[768:832]), causes=["eval_data_augmented"],
           checkpoint="salt_grader.pt", log="salt_log.jsonl",
           complaint="Salt grader for the pans: val accuracy jumps around (0.875, 0.91, 0.945, 0.92, 0.92, 0.96, 0.93 over the last epochs) and val loss is still 0.16 at epoch 15, while the salt workers tell fleur de sel, coarse and fine salt apart at a glance. Why won't it settle and get above ~0.93?",
           what="CNN grading salt-pan salt from close-up photos; val Dataset built with"
                " train=True")


if __name__ == "__main__":
    main()
