"""Squeeze-and-excitation residual CNN on synthetic 24×24 grey textures: stripes (random
angle and period), checks (random cell size and phase), dots (random lattice and radius) and
noise (smoothed blobs), all with random contrast, brightness and pixel noise. Stem conv 16,
three SE basic blocks (16, 32, 48 channels, stride 1, 2, 2, BatchNorm, squeeze-excite with
ratio 4), global average pool, linear head. SGD lr 0.05 momentum 0.9, weight decay 5e-4,
batch 50 (shuffled), 6 epochs; ``metrics.jsonl`` holds ``train/loss`` every 10 iterations and
``val/loss`` / ``val/acc`` per epoch.
Bug: ``evaluate()`` puts the model in eval mode and ``model.train()`` is called once, above
the epoch loop: from the second epoch on the network trains in eval mode, its BatchNorm layers
normalising with the running statistics frozen after epoch 1 instead of the batch's."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
KINDS = ("stripes", "checks", "dots", "noise")


def textures(kind, n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    out = torch.empty(n, 1, S, S)
    for i in range(n):
        u = torch.rand(4, generator=g)
        if kind == 0:
            ang, period = math.pi * u[0], 3 + 5 * u[1]
            img = torch.sin(2 * math.pi * (xx * torch.cos(ang) + yy * torch.sin(ang)) / period
                            + 6.28 * u[2])
        elif kind == 1:
            cell = int(2 + 4 * u[0])
            img = (((xx + int(6 * u[1])) // cell + (yy + int(6 * u[2])) // cell) % 2) * 2 - 1
        elif kind == 2:
            gap, rad = 4 + 4 * u[0], 0.8 + 1.2 * u[1]
            dx = (xx + 8 * u[2]) % gap - gap / 2
            dy = (yy + 8 * u[3]) % gap - gap / 2
            img = ((dx ** 2 + dy ** 2) < rad ** 2).float() * 2 - 1
        else:
            blob = torch.randn(1, 1, S // 3, S // 3, generator=g)
            img = F.interpolate(blob, size=(S, S), mode="bilinear", align_corners=False)[0, 0]
            img = img / img.std()
        contrast = 0.4 + 0.6 * float(torch.rand(1, generator=g))
        bright = 0.3 * float(torch.randn(1, generator=g))
        out[i, 0] = contrast * img + bright + 0.5 * torch.randn(S, S, generator=g)
    return out


class SEBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.squeeze = nn.Linear(cout, cout // 4)
        self.excite = nn.Linear(cout // 4, cout)
        self.short = (nn.Identity() if stride == 1 and cin == cout else
                      nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                    nn.BatchNorm2d(cout)))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        w = torch.sigmoid(self.excite(F.relu(self.squeeze(h.mean((2, 3))))))
        return F.relu(h * w[:, :, None, None] + self.short(x))


class SEResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False),
                                  nn.BatchNorm2d(16), nn.ReLU())
        self.blocks = nn.Sequential(SEBlock(16, 16, 1), SEBlock(16, 32, 2), SEBlock(32, 48, 2))
        self.fc = nn.Linear(48, len(KINDS))

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def build():
    torch.manual_seed(0)
    return SEResNet()


def main():
    from _thirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx = torch.cat([textures(k, 500, g) for k in range(len(KINDS))])
    ty = torch.arange(len(KINDS)).repeat_interleave(500)
    vy = torch.randint(0, len(KINDS), (400,), generator=g)
    vx = torch.cat([textures(int(k), 1, g) for k in vy])
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(tx, ty), batch_size=50,
                                        shuffle=True)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    log = open(out / "metrics.jsonl", "w")
    it = 0
    model.train()
    for epoch in range(6):
        for xb, yb in train:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"iter": it, "epoch": epoch,
                                      "train/loss": round(loss.item(), 4)}) + "\n")
        vl, acc = evaluate(model, vx, vy)
        log.write(json.dumps({"iter": it, "epoch": epoch, "val/loss": round(vl, 4),
                              "val/acc": round(acc, 4)}) + "\n")
        print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    log.close()
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "epochs_done": epoch + 1, "iters": it}, out / "se_resnet_textures.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["train_in_eval_mode"],
           checkpoint="se_resnet_textures.pt", log="metrics.jsonl",
           what="SE-ResNet texture classifier, trains in eval mode after the first evaluate()",
           complaint="SE-ResNet on the texture set: the first epoch looks fine (val acc 0.73), "
                     "then early in the second epoch the loss jumps to 9 and turns NaN, and "
                     "from there val accuracy is 0.25")


if __name__ == "__main__":
    main()
