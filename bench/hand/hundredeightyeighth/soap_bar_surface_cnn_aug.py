"""Plain torch: a small CNN (no BatchNorm) sorts photos of cured cold-process soap bars from a
soap maker's cutting table into 4 surface grades: smooth, soda ash (a fine white speckle),
cracked (two dark straight fissures) and glycerin rivers (a pale wavy streak), 28×28 grey.
Bars differ in colour and lighting (a smooth brightness ramp) and the camera adds noise.
Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Conv(32→32)-ReLU, global average pool,
Linear(32→4); Adam 2e-3, batch 32, 15 epochs of 768 bars; CSV per epoch. Each training batch
goes through ``augment``: random flips, a ±3 px shift, brightness/contrast jitter, extra
noise and, for 40 % of the bars, a 20×20 grey erase (it hides most of a bar).
The bug: the validation block was copied from the training loop and keeps its
``augment(...)`` call, so the 256 validation photos are flipped, jittered and erased too,
re-drawn every epoch. The val curve is jittery and tracks the (augmented) train curve:
epoch 15 train loss 0.25 / accuracy 0.91, val loss 0.23 / accuracy 0.90 (0.80–0.90 over
the last 6 epochs, the erased bars cap it).
Control (``xb = (xva - 0.5) / 0.2``, no augment): epoch 15 val loss 0.083, val accuracy 0.98
(0.94–0.98 over the last 6 epochs)."""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 28


def bars(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, S), torch.linspace(-1, 1, S), indexing="ij")
    tone = 0.4 + 0.2 * torch.rand(n, 1, 1, generator=g)
    ang = 6.3 * torch.rand(n, 1, 1, generator=g)
    img = tone + 0.15 * (torch.cos(ang) * xx + torch.sin(ang) * yy)
    ash = (torch.rand(n, S, S, generator=g) < 0.12).float() * 0.5
    img = img + ash * (y == 1).float()[:, None, None]
    for i in torch.nonzero(y == 2).flatten().tolist():
        for _ in range(2):
            a, b = (torch.rand(2, generator=g) * 2 - 1).tolist()
            th = float(torch.rand(1, generator=g)) * 3.14
            d = (xx - a) * torch.sin(torch.tensor(th)) - (yy - b) * torch.cos(torch.tensor(th))
            img[i] -= 0.45 * torch.exp(-(d / 0.04) ** 2) * (((xx - a) ** 2 + (yy - b) ** 2) < 0.5)
    riv = (y == 3).float()[:, None, None]
    ph = 6.3 * torch.rand(n, 1, 1, generator=g)
    img = img + riv * 0.35 * torch.exp(-((yy - 0.25 * torch.sin(5 * xx + ph)) / 0.12) ** 2)
    img = img + 0.05 * torch.randn(n, S, S, generator=g)
    return img.unsqueeze(1), y


def augment(x, g):
    """Per-bar random flips, a ±3 px shift, brightness/contrast jitter, extra noise and, for
    40 % of the bars, a 20×20 grey erase."""
    n = len(x)
    flip = torch.rand(n, 1, 1, 1, generator=g) < 0.5
    x = torch.where(flip, x.flip(3), x)
    flip = torch.rand(n, 1, 1, 1, generator=g) < 0.5
    x = torch.where(flip, x.flip(2), x)
    dy, dx = torch.randint(-3, 4, (2,), generator=g).tolist()
    x = torch.roll(x, (dy, dx), (2, 3))
    x = ((x - 0.5) * (0.8 + 0.4 * torch.rand(n, 1, 1, 1, generator=g)) + 0.5
         + 0.1 * torch.randn(n, 1, 1, 1, generator=g))
    x = x + 0.06 * torch.randn(x.shape, generator=g)
    r = torch.arange(S)
    r0 = torch.randint(0, S - 20, (n, 1, 1, 1), generator=g)
    c0 = torch.randint(0, S - 20, (n, 1, 1, 1), generator=g)
    box = ((r[:, None] >= r0) & (r[:, None] < r0 + 20) & (r >= c0) & (r < c0 + 20)
           & (torch.rand(n, 1, 1, 1, generator=g) < 0.4))
    return torch.where(box, torch.full_like(x, 0.5), x)


class SurfaceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.c3 = nn.Conv2d(32, 32, 3, padding=1)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(F.relu(self.c3(x)).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return SurfaceNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bars(1024, g)
    xtr, ytr, xva, yva = x[:768], y[:768], x[768:], y[768:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(15):
        model.train()
        perm = torch.randperm(768, generator=g)
        tot = hit = 0.0
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            xb, yb = (augment(xtr[idx], g) - 0.5) / 0.2, ytr[idx]
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            hit += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            xb = (augment(xva, g) - 0.5) / 0.2
            lv = model(xb)
        rows.append({"epoch": epoch, "train_loss": round(tot / 768, 4),
                     "train_accuracy": round(hit / 768, 4),
                     "valid_loss": round(loss_fn(lv, yva).item(), 4),
                     "valid_accuracy": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "surface_metrics.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 15}, out / "soap_surface.pt")
    finish(out, __file__, (xb[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="soap_surface.pt", log="surface_metrics.csv",
           what="CNN soap-bar surface grader whose validation batch goes through the training"
                " augmentation (random erase, flips, jitter)",
           complaint=("Soap surface grader: the validation accuracy jumps around between 0.80 "
                      "and 0.90 from epoch to epoch and the val loss just follows the train "
                      "loss (0.23 vs 0.25 after 15 epochs). Our graders agree on these bars "
                      "almost always, so 0.90 seems low. Adam 2e-3, batch 32, 768 photos. "
                      "Should we train longer or label more bars?"))


if __name__ == "__main__":
    main()
