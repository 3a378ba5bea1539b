"""Plain torch: a small CNN (no batch norm) names the style of a bonsai from a 20×20 grey
silhouette photo: formal upright, informal upright, slanting, cascade. The silhouette is a pot
at the bottom, a trunk drawn as a chain of blobs whose path depends on the style (straight up,
S-curve, leaning line, falling over the pot rim) and foliage pads at the trunk's bends, plus a
random shift, thickness and background noise. Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool,
Linear(32·5·5→64)-ReLU-Linear(64→4); SGD momentum 0.9, lr 0.01, batch 32, 8 epochs of 768
photos; TSV log per step, val every 24 steps.
The bug: ``opt.zero_grad()`` sits above the epoch loop ("clear once before training"), so the
gradients of every step pile up in ``.grad``; with momentum the steps grow until the weights
blow up: val loss/accuracy every 24 steps 1.71/0.04, 20.8/0.45, 1.83/0.28, 4.06/0.29, 4.64/0.23,
12.9/0.28, 43.3/0.23, 10.5/0.28 (train loss 1.6 → 12.6 → 40.5 → 12.5).
Control (``opt.zero_grad()`` moved into the step, one-line sed): val loss/accuracy 0.34/0.93 at
step 24, 0.014/0.995 at 48, 0.0014/1.00 at step 192."""
import math

import torch
import torch.nn as nn

S = 20


def silhouettes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        c = int(y[i])
        x0 = 10 + float(torch.randn(1, generator=g)) * 1.2
        w = 0.8 + 0.4 * float(torch.rand(1, generator=g))
        img[i, 0] += ((yy >= 17) & ((xx - x0).abs() < 4.5)).float() * 0.8  # pot
        pts = []
        for k in range(12):
            t = k / 11
            if c == 0:
                px, py = x0, 16 - 13 * t
            elif c == 1:
                px, py = x0 + 3 * math.sin(t * 2 * math.pi), 16 - 12 * t
            elif c == 2:
                px, py = x0 + 8 * t - 2, 16 - 11 * t
            else:
                px, py = x0 + 8 * t, 15 - 6 * t + 14 * t * t
            pts.append((px, py))
        for px, py in pts:
            img[i, 0] += torch.exp(-((xx - px) ** 2 + (yy - py) ** 2) / (2 * w * w))
        for px, py in pts[5::3]:
            img[i, 0] += 0.7 * torch.exp(-((xx - px) ** 2 / 6 + (yy - py) ** 2 / 2))
    img = img.clamp(0, 1.5) + 0.2 * torch.randn(img.shape, generator=g)
    return (img - 0.3) / 0.5, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _twohundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = silhouettes(960, g)
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:768], y[:768]),
                                        batch_size=32, shuffle=True)
    xva, yva = x[768:], y[768:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["step\tepoch\ttrain_loss\tval_loss\tval_acc"]
    step = 0
    opt.zero_grad()
    for epoch in range(8):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if step % 24 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{loss_fn(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch, step, f"{loss.item():.3f}", vl, va)
                model.train()
            rows.append(f"{step}\t{epoch}\t{loss.item():.4f}\t{vl}\t{va}")
    (out / "bonsai_steps.tsv").write_text("\n".join(rows) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step},
               out / "bonsai_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="bonsai_cnn.pt", log="bonsai_steps.tsv",
           what="bonsai style CNN, opt.zero_grad() called once before the epoch loop",
           complaint=("Bonsai style classifier (4 styles from 20x20 silhouette photos): the "
                      "loss jumps all over the place, 1.7 then 12.6 then back to 1.6 and up to 40,"
                      " and after 8 epochs val accuracy is 0.28 (0.45 once), val loss 10.5. SGD "
                      "lr 0.01 momentum 0.9, batch 32. Is the CNN too small for these pictures "
                      "or is the lr too high?"))


if __name__ == "__main__":
    main()
