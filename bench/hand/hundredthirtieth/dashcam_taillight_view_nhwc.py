"""Which lamp the car ahead has lit, from a dash camera (for an adaptive-cruise "brake light
ahead" warning): 24×24 RGB crops of the car ahead (stored as a uint8 array (N, H, W, C), as the
camera's frame grabber writes them), 3 classes: brake lights (red), indicators (amber),
reversing lights (white) — a pair of small round lamps at a random height and spacing, of
random brightness, on a car body of random paint with some texture. Frames scaled to [0, 1]
and standardised per channel; a small CNN (3→16→32→32, 3×3, max-pools, global average pool,
linear head). Adam 2e-3, batch 32, 8 epochs of 1200 crops; a JSON-lines log per epoch
({"epoch", "loss", "val_loss", "val_acc"}).
Bug: the frames are turned into (N, C, H, W) with ``.view(n, 3, 24, 24)`` instead of
``.permute(0, 3, 1, 2)``, so each "channel" the CNN sees is a band of 8 image rows with R, G and
B interleaved along the width: the lamp colour is spread over neighbouring columns. Val accuracy 0.36, 0.45, 0.58, 0.67, 0.65,
0.70, 0.73, 0.76, val loss 0.50, train loss 0.54 after 8 epochs; the control (``.permute``)
reaches val accuracy 0.98 (0.91 by epoch 3), val loss 0.075, train loss 0.076."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    lamp = torch.tensor([[1.0, 0.1, 0.1], [1.0, 0.55, 0.0], [0.95, 0.95, 0.95]])  # brake, indicator, reversing
    body = torch.rand(n, 3, generator=g) * 0.6 + 0.1  # the car ahead's paint
    img = body[:, None, None, :].expand(n, S, S, 3).clone()
    img = img * (0.8 + 0.4 * torch.rand(n, S, S, 1, generator=g))
    for i in range(n):
        cy = 6 + float(torch.rand(1, generator=g)) * 12
        half = 4 + float(torch.rand(1, generator=g)) * 6
        r = 1.2 + 0.8 * float(torch.rand(1, generator=g))
        level = 0.5 + 0.5 * float(torch.rand(1, generator=g))
        for cx in (12 - half, 12 + half):
            m = ((yy - cy) ** 2 + (xx - cx) ** 2) < r ** 2
            img[i][m] = lamp[y[i]] * level
    img = img + 0.05 * torch.randn(img.shape, generator=g)
    return (img.clamp(0, 1) * 255).to(torch.uint8), y


class LampCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                               nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                               nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.f(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return LampCNN()


def to_tensor(u8):
    x = u8.float() / 255
    x = x.view(len(x), 3, S, S)  # NHWC -> NCHW
    mean = x.mean((0, 2, 3), keepdim=True)
    std = x.std((0, 2, 3), keepdim=True)
    return (x - mean) / std


def main():
    from _hundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw, y = frames(1500, g)
    x = to_tensor(raw)
    xtr, ytr, xva, yva = x[:1200], y[:1200], x[1200:], y[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "lamps_log.jsonl", "w")
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(1200, generator=g)
        tot = 0.0
        for i in range(0, 1200, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch, "loss": round(tot / 1200, 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 8,
                "labels": ["brake", "indicator", "reversing"]}, out / "lamp_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="lamp_cnn.pt", log="lamps_log.jsonl",
           what="dash-cam tail-lamp CNN, NHWC frames reshaped to NCHW with .view instead of permute",
           complaint="Tail-lamp classifier for our dashcam is bad at a really simple job: red brake "
                     "lights vs amber indicators vs white reversing lights. After 8 epochs val "
                     "accuracy is only 0.76 and the training loss is still 0.54; it was barely "
                     "above chance for the first two epochs (0.36, 0.45).")


if __name__ == "__main__":
    main()
