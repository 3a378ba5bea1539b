"""Sawmill board grading from the line-scan camera: synthetic 24×24 RGB patches of sawn spruce
boards (wood colour with a wavy grain of darker late-wood lines), four grades by the defect in
the patch: clear, sound knot (a round dark-brown knot with a ring, 3–5 px, anywhere), split (a
thin dark crack running along the grain for 8–16 px) and blue stain (a grey-blue fungus cloud
of 5–8 px; darker in blue-grey, not in brightness). The camera software exports the patches as
uint8 ``(N, H, W, C)`` like every image library does. A small CNN (3 conv 3×3 blocks 16-32-32,
max-pools, global average pool, linear), Adam 2e-3, batch 64, 8 epochs of 2400 patches;
``train_log.csv`` per epoch: ``epoch``, ``loss``, ``acc``, ``val_loss``, ``val_acc``.
Bug: the patches go to ``(N, C, H, W)`` with ``.reshape(-1, 3, 24, 24)`` instead of
``.permute(0, 3, 1, 2)``: "channel" 0 is now the top 8 rows of the board with R, G and B
interleaved along each row, so knots and splits are smeared into stripes and the colour of a
stain is a period-3 pattern. Val accuracy 0.51, 0.66, 0.77, 0.76, 0.755 (epoch 5, no patch
called "clear" then), val loss 0.39, train loss 0.44 / train accuracy 0.77; the control
(``.permute(0, 3, 1, 2)``) is at val accuracy 0.983 after epoch 2 and ends at 0.998, val loss
0.006."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
GRADES = ["clear", "knot", "split", "blue_stain"]


def boards(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, S, S, 3)
    base = torch.tensor([0.86, 0.70, 0.48])
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        tone = 0.9 + 0.2 * r()
        ang = (r() - 0.5) * 0.4
        period = 3 + 2 * r()
        u = xx * math.cos(ang) + yy * math.sin(ang)
        grain = 0.5 + 0.5 * torch.sin(6.283 * (u + 1.5 * torch.sin(yy / 7 + 6 * r())) / period)
        wood = base * tone * (1 - 0.12 * grain[..., None])
        k = int(y[i])
        cy, cx = 4 + 16 * r(), 4 + 16 * r()
        if k == 1:
            rad = 1.5 + r()
            d = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
            core = (d < rad).float()[..., None]
            ring = ((d >= rad) & (d < rad + 1.2)).float()[..., None]
            wood = wood * (1 - core) + core * torch.tensor([0.35, 0.22, 0.12]) \
                + ring * (torch.tensor([0.55, 0.38, 0.22]) - wood)
        elif k == 2:
            length = 8 + 8 * r()
            along = (yy - cy) * math.cos(ang) - (xx - cx) * math.sin(ang)
            across = (yy - cy) * math.sin(ang) + (xx - cx) * math.cos(ang)
            m = ((along.abs() < length / 2) & (across.abs() < 0.6)).float()[..., None]
            wood = wood * (1 - 0.35 * m)
        elif k == 3:
            rad = 2.5 + 1.5 * r()
            w = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * rad ** 2))[..., None]
            stain = torch.tensor([0.50, 0.55, 0.60]) * tone
            wood = wood * (1 - 0.5 * w) + 0.5 * w * stain
        img[i] = wood
    img = img + 0.05 * torch.randn(img.shape, generator=g)
    return (img.clamp(0, 1) * 255).round().to(torch.uint8), y


class GradeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.features(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return GradeCNN()


MEAN = torch.tensor([0.74, 0.60, 0.42])[None, :, None, None]
STD = torch.tensor([0.12, 0.10, 0.09])[None, :, None, None]


def to_tensor(imgs):
    x = imgs.float().div(255).reshape(-1, 3, S, S)
    return (x - MEAN) / STD


def main():
    from _hundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    imgs, y = boards(3000, g)
    x = to_tensor(imgs)
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    for epoch in range(1, 6):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        row = [epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
               round(F.cross_entropy(lo, yva).item(), 4),
               round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, torch.bincount(lo.argmax(1), minlength=4).tolist())
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 5, "grades": GRADES, "mean": MEAN.flatten().tolist(),
                "std": STD.flatten().tolist()}, out / "board_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="board_grader.pt", log="train_log.csv",
           what="sawmill board-grading CNN, NHWC camera patches reshaped to NCHW (scrambled)",
           complaint="Our board-grading CNN for the sawmill camera is stuck at about 75 % "
                     "validation accuracy (0.755 after 5 epochs, train accuracy 0.77, loss "
                     "0.44), and in the last epoch it did not call a single board 'clear'. "
                     "The knots, splits and blue stain are obvious to a human grader on "
                     "these patches, so I expected close to 100 %.")


if __name__ == "__main__":
    main()
