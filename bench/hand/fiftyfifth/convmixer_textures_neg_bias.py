"""ConvMixer on synthetic 5-class textures (32×32 grey: horizontal stripes, vertical stripes,
diagonal stripes, checkerboard, dots; random period 4–8 px, random phase, contrast 0.5–1,
pixel noise σ 0.5, inputs standardised). Patch embedding conv 4×4 stride 4 → 48 channels,
ReLU, BatchNorm; 3 ConvMixer blocks (residual depthwise conv 5×5 → ReLU → BatchNorm, then
pointwise conv → ReLU → BatchNorm); global average pool, linear head. Adam 1e-3, batch 50,
6 epochs; JSON-lines log per epoch (train_loss, valid_loss, valid_acc).
Bug: the init loop sets every conv bias to −3 (``nn.init.constant_(m.bias, -3.0)``, meant as
0 next to the Kaiming weights), so the pre-activations of the patch embedding and of every
block sit around −3 with a spread near 1: nearly every ReLU outputs 0 for every input from
the first step on and receives no gradient, and the few that fire carry the network."""
import json
import math

import torch
import torch.nn as nn

CLASSES, SIZE, DIM = 5, 32, 48
BIAS = -3.0


def textures(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    r = torch.arange(SIZE, dtype=torch.float)
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    x = torch.zeros(n, 1, SIZE, SIZE)
    for i in range(n):
        period = 4 + 4 * float(torch.rand(1, generator=g))
        ph = 2 * math.pi * float(torch.rand(1, generator=g))
        k = 2 * math.pi / period
        c = int(y[i])
        if c == 0:
            img = torch.sin(k * yy + ph)
        elif c == 1:
            img = torch.sin(k * xx + ph)
        elif c == 2:
            img = torch.sin(k * (xx + yy) / math.sqrt(2) + ph)
        elif c == 3:
            img = torch.sign(torch.sin(k * xx + ph) * torch.sin(k * yy + ph))
        else:
            img = (torch.sin(k * xx + ph) * torch.sin(k * yy + ph) > 0.5).float() * 2 - 1
        contrast = 0.5 + 0.5 * float(torch.rand(1, generator=g))
        x[i, 0] = contrast * img + 0.5 * torch.randn(SIZE, SIZE, generator=g)
    return (x - x.mean()) / x.std(), y


class Residual(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return x + self.f(x)


class ConvMixer(nn.Module):
    def __init__(self, depth=3, kernel=5):
        super().__init__()
        self.patch = nn.Sequential(nn.Conv2d(1, DIM, 4, 4), nn.ReLU(), nn.BatchNorm2d(DIM))
        self.blocks = nn.Sequential(*[nn.Sequential(
            Residual(nn.Sequential(nn.Conv2d(DIM, DIM, kernel, groups=DIM, padding=kernel // 2),
                                   nn.ReLU(), nn.BatchNorm2d(DIM))),
            nn.Conv2d(DIM, DIM, 1), nn.ReLU(), nn.BatchNorm2d(DIM)) for _ in range(depth)])
        self.head = nn.Linear(DIM, CLASSES)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.constant_(m.bias, BIAS)

    def forward(self, x):
        return self.head(self.blocks(self.patch(x)).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return ConvMixer()


def main():
    from _fiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = textures(1800, g)
    tx, ty, vx, vy = x[:1500], y[:1500], x[1500:], y[1500:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = nn.CrossEntropyLoss()
    with open(out / "log.jsonl", "w") as log:
        for epoch in range(6):
            model.train()
            tot, nb = 0.0, 0
            for idx in torch.randperm(1500, generator=g).split(50):
                loss = lossf(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                logits = model(vx)
                vl = lossf(logits, vy).item()
                acc = (logits.argmax(1) == vy).float().mean().item()
            log.write(json.dumps({"epoch": epoch, "train_loss": round(tot / nb, 4),
                                  "valid_loss": round(vl, 4), "valid_acc": round(acc, 4)}) + "\n")
            print(epoch, round(tot / nb, 4), round(vl, 4), round(acc, 4), flush=True)
    torch.save({"model_state": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch},
               out / "convmixer.ckpt")
    finish(out, __file__, (vx[:50], vy[:50]), causes=["dead_relu"],
           checkpoint="convmixer.ckpt", log="log.jsonl",
           what="ConvMixer textures, every conv bias initialised to -3 next to Kaiming weights",
           complaint="the ConvMixer barely learns the five textures, validation accuracy stays "
                     "low while the same kind of model trains fine on other data")


if __name__ == "__main__":
    main()
