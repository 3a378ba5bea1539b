"""Violin bowing-stroke recognition from a sensor clip on the bow frog (a conservatory's practice
tracker): synthetic 1-s windows of a 6-axis IMU at 64 Hz (accelerometer + gyroscope, 64
samples) for 4 strokes — détaché (even back-and-forth, 4–6 Hz), legato (slow smooth bows, 1–2
Hz), martelé (bow stops between notes: a sharp accent then a pause, 2–4 Hz) and spiccato (the bow
bouncing off the string: fast 8–10 Hz with a vertical bounce on the z axis) — with a random
bow tilt (gravity on the accelerometer), per-player tempo and amplitude, and sensor noise 0.3.
A 1-D CNN (conv 6→24 k5, conv 24→32 k5 stride 2, conv 32→32 k3, ReLU, global average pool, linear
head for 4 strokes). Adam 1e-3, batch 32, 8 epochs of 1024 windows; JSON lines per epoch
(``epoch``, ``train/loss``, ``train/acc``, ``valid/loss``, ``valid/acc``).
Bug: the loss is written ``loss = -criterion(logits, y)`` (the sign was copied from a
log-likelihood that was maximised), so Adam *raises* the cross-entropy of the true stroke: the
logged training loss is −1.46 after epoch 1, −10.4, −214, … −110 480 after epoch 8, falling
without bound, the validation cross-entropy climbs to 152 856, and from epoch 3 on the model
calls every window the same stroke (train accuracy 0.249, val accuracy 0.254 = that stroke's
share). The control (``criterion(logits, y)``): train loss 0.019, val loss 0.025, val accuracy
0.996. ``batch.pt``: 64 validation windows ``(64, 6, 64)`` with stroke ids.
"""
import json

import torch
import torch.nn as nn

FS, N, K = 64, 64, 4
STROKES = ["detache", "legato", "martele", "spiccato"]


def window(k, g):
    t = torch.arange(N).float() / FS
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    amp, ph = 0.8 + 0.4 * r(), 6.283 * r()
    if k == 0:
        bow = torch.sin(6.283 * (4 + 2 * r()) * t + ph)
    elif k == 1:
        bow = torch.sin(6.283 * (1 + r()) * t + ph)
    elif k == 2:
        f = 2 + 2 * r()
        phase = (f * t + r()) % 1.0
        bow = torch.where(phase < 0.3, torch.sin(3.1416 * phase / 0.3) * 1.8, torch.zeros(N))
    else:
        bow = 0.6 * torch.sin(6.283 * (8 + 2 * r()) * t + ph)
    bounce = 0.8 * torch.sin(6.283 * (8 + 2 * r()) * t).abs() if k == 3 else torch.zeros(N)
    tilt = torch.randn(3, generator=g) * 0.3 + torch.tensor([0.0, 0.0, 1.0])
    acc = torch.stack([amp * bow, 0.2 * amp * bow, bounce]) + tilt[:, None]
    gyro = torch.stack([0.5 * amp * torch.gradient(bow)[0] * 8, 0.3 * bounce, 0.2 * amp * bow])
    return torch.cat([acc, gyro]) + 0.3 * torch.randn(6, N, generator=g)


def sessions(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    return torch.stack([window(int(k), g) for k in y]), y


class BowNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, 24, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(24, 32, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(32, K)

    def forward(self, x):
        return self.head(self.conv(x).mean(-1))


def build():
    torch.manual_seed(0)
    return BowNet()


def main():
    from _hundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sessions(1024, g)
    xva, yva = sessions(256, g)
    model = build()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "bowing_metrics.jsonl", "w")
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = -criterion(logits, ytr[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch, "train/loss": round(tot / len(xtr), 4),
                   "train/acc": round(hit / len(xtr), 4),
                   "valid/loss": round(criterion(lo, yva).item(), 4),
                   "valid/acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": 8, "strokes": STROKES, "fs": FS}, out / "bownet_last.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="bownet_last.pth", log="bowing_metrics.jsonl",
           what="violin bowing-stroke 1-D CNN, loss = -CrossEntropy (sign flipped)",
           complaint="我的小提琴弓法识别模型训练得很奇怪：训练 loss 一直在降，第 8 个 epoch "
                     "已经到了 -110480，可是训练准确率只有 0.249，验证准确率 0.254，验证 loss "
                     "反而涨到了 152856。从第 3 个 epoch 起所有窗口都被判成同一种弓法。"
                     "loss 怎么会是负的？")


if __name__ == "__main__":
    main()
