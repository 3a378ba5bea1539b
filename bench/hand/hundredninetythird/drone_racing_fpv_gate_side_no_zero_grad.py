"""Plain torch: a small CNN (no BatchNorm) on a drone-racing quad's FPV camera tells the
autopilot assist where the next gate is: off to the left, ahead, or off to the right, from a
24×24 grey frame downscaled from the goggles feed. A gate is a bright square ring (size 6–11 px,
some tilt of brightness) at a random height, its centre in the left, middle or right third;
the background is a blurred arena (floor gradient, light blobs) with noise, and some frames carry
a second, far, dim gate anywhere. Conv(1→12)-ReLU-pool, Conv(12→24)-ReLU-pool, Linear(24·36→48)
-ReLU-Linear(48→3); SGD lr 0.02, momentum 0.9, batch 32, 10 epochs of 1536 frames, shuffled.
Log: TSV per step (``it``, ``ep``, ``loss``, ``acc``), an extra ``val_acc`` / ``val_loss`` row
per epoch; checkpoint ``model_state`` / ``optimizer_state`` / ``iteration``.
The bug: the training loop was refactored to log before the update and the
``optimizer.zero_grad()`` line went missing, so every step's ``.grad`` is the sum of all the
gradients since the start: train loss 1.30 at the end of epoch 1, 38 at 3, 260 at 8, 130
at 10; val loss 1.77 → 149; val accuracy 0.32–0.36 every epoch (one class's share).
Control (``optimizer.zero_grad()`` restored before ``loss.backward()``): val accuracy 0.99 after epoch 1, 1.00
from epoch 2, val loss 0.029 → 0.0001."""
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    img = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=(S, S), mode="bilinear") * 0.6
    img = img + (yy / S)[None, None] * 0.3
    for i in range(n):
        size = int(torch.randint(6, 12, (1,), generator=g))
        cx = 8 * int(y[i]) + 4 + int(torch.randint(-2, 3, (1,), generator=g))
        cy = int(torch.randint(size // 2, S - size // 2, (1,), generator=g))
        x0, y0 = max(0, cx - size // 2), max(0, cy - size // 2)
        x1, y1 = min(S, x0 + size), min(S, y0 + size)
        b = 0.8 + 0.4 * float(torch.rand(1, generator=g))
        img[i, 0, y0:y1, x0:x1] += b
        img[i, 0, y0 + 2:y1 - 2, x0 + 2:x1 - 2] -= b
        if float(torch.rand(1, generator=g)) < 0.4:
            fx, fy = (int(v) for v in torch.randint(2, S - 4, (2,), generator=g))
            img[i, 0, fy:fy + 3, fx:fx + 3] += 0.3
            img[i, 0, fy + 1, fx + 1] -= 0.3
    img = img + 0.15 * torch.randn(img.shape, generator=g)
    return (img - 0.5) / 0.5, y


class GateNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 12, 3, padding=1)
        self.c2 = nn.Conv2d(12, 24, 3, padding=1)
        self.f1 = nn.Linear(24 * 6 * 6, 48)
        self.f2 = nn.Linear(48, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.f2(F.relu(self.f1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return GateNet()


def main():
    from _hundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(1536, g)
    xva, yva = frames(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    it = 0
    with open(out / "gate_side.tsv", "w") as f:
        f.write("it\tep\tloss\tacc\tval_loss\tval_acc\n")
        for ep in range(1, 11):
            model.train()
            for xb, yb in train:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                acc = (logits.argmax(1) == yb).float().mean().item()
                f.write(f"{it}\t{ep}\t{loss.item():.4f}\t{acc:.4f}\t\t\n")
                loss.backward()
                optimizer.step()
                it += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl, va = F.cross_entropy(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
            f.write(f"{it}\t{ep}\t\t\t{vl:.4f}\t{va:.4f}\n")
            print(ep, round(loss.item(), 4), round(vl, 4), round(va, 4))
    torch.save({"model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
                "iteration": it}, out / "gate_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="gate_cnn.pt", log="gate_side.tsv",
           what="FPV gate-side CNN, SGD momentum, optimizer.zero_grad() missing from the loop",
           complaint=("The gate-side CNN for the FPV assist blows up: loss is 1.3 after the first epoch, by epoch 3"
                      " it's in the 30s, epoch 8 around 260. Validation accuracy never leaves"
                      " 0.32-0.36, it just picks one side. Same data trained fine last month."
                      " Is lr 0.02 with momentum 0.9 too high for this?"))


if __name__ == "__main__":
    main()
