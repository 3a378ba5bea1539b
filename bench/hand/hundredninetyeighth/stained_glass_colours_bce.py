"""Plain torch: a small CNN (no batch norm) says which of 5 glass colours (ruby, cobalt, amber,
emerald, violet) appear in a 3×16×16 photo of a stained-glass panel: a panel is 2–5 quads cut
by dark lead lines, each quad one glass colour (its RGB plus shading and noise), so 1–5
labels are present. Conv(3→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Linear(512→64)-ReLU-
Linear(64→5); Adam 1e-3, batch 32, 20 epochs of 1024 panels; JSON lines per epoch (``loss``,
``val_loss``, ``val_f1``).
Bug: the multi-label loss is written out by hand, ``-(y * log(p) + (1 - y) * log(1 - p))`` with
``p = torch.sigmoid(logits)``: once a logit passes ~17, ``p`` rounds to exactly 1.0 in float32
and ``0 * log(0)`` is NaN, which Adam spreads into every weight.
Run: epoch 1 loss 0.604, val F1 0.822; epoch 2 loss 0.386, val F1 0.898 but val loss NaN;
from epoch 3 on every loss is NaN and val F1 0.0.
Control (``p`` clamped to [1e-6, 1 - 1e-6]): epoch 20 loss 0.0012, val loss 0.0062, val F1
0.997."""
import json
import sys

import torch
import torch.nn as nn

COLOURS = torch.tensor([[0.75, 0.05, 0.1], [0.1, 0.2, 0.8], [0.9, 0.6, 0.1],
                        [0.1, 0.65, 0.25], [0.5, 0.15, 0.7]])


def panels(n, g):
    img = torch.zeros(n, 3, 16, 16)
    y = torch.zeros(n, 5)
    for i in range(n):
        cx, cy = [int(v) for v in torch.randint(4, 12, (2,), generator=g)]
        k = int(torch.randint(1, 6, (1,), generator=g))
        cols = torch.randperm(5, generator=g)[:k]
        quads = [cols[j % k] for j in range(4)]
        for q, (ys, xs) in enumerate([(slice(0, cy), slice(0, cx)), (slice(0, cy), slice(cx, 16)),
                                      (slice(cy, 16), slice(0, cx)),
                                      (slice(cy, 16), slice(cx, 16))]):
            shade = 0.7 + 0.5 * float(torch.rand(1, generator=g))
            img[i, :, ys, xs] = (COLOURS[quads[q]] * shade)[:, None, None]
            y[i, quads[q]] = 1.0
        img[i, :, cy, :] = 0.05  # lead came
        img[i, :, :, cx] = 0.05
    img = img + 0.08 * torch.randn(img.shape, generator=g)
    return (img - 0.4) / 0.3, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 5))


def bce(logits, y):
    p = torch.sigmoid(logits)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def f1(logits, y):
    pred = (logits > 0).float()
    tp = (pred * y).sum()
    return (2 * tp / (pred.sum() + y.sum()).clamp(min=1)).item()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = panels(1024, g)
    xva, yva = panels(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "log.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = bce(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                rec = {"epoch": epoch + 1, "loss": round(tot / 1024, 4),
                       "val_loss": round(bce(lv, yva).item(), 4), "val_f1": round(f1(lv, yva), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 20},
               out / "glass_colours.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="glass_colours.pt", log="log.jsonl",
           complaint="彩色玻璃面板的颜色多标签识别模型：第1个epoch还正常（loss 0.60，F1 0.82），"
                     "第2个epoch验证loss变成nan，从第3个epoch开始训练loss也全是nan，F1掉到0。"
                     "学习率只有1e-3，输入数据我检查过没有nan或inf。这是怎么回事？",
           what="CNN (no BN) multi-label glass-colour detector for stained-glass panel photos")


if __name__ == "__main__":
    main()
