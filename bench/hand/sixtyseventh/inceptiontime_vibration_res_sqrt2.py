"""InceptionTime-lite on synthetic machine-vibration series: 3 accelerometer channels of 64
samples, 4 fault classes (a sine burst, a square burst, a chirp, a spike train, at a random
place and on a random channel mix) under Gaussian noise. Six inception modules (a 1×1
bottleneck to 8 channels, then parallel convolutions with kernels 9, 5 and 3 plus a max-pool
branch, 32 channels out, no batch norm: the batches of the real rig are tiny), each with a
residual shortcut, global average pooling and a linear head. SGD 0.05 momentum 0.9, batch 32,
8 epochs; the CSV log holds the train loss and gradient norm every step and the val loss
and val accuracy per epoch; the loop stops at the first non-finite loss.
Bug: the residual sum was meant to be scaled by ``sqrt(0.5)`` to keep its variance (as in
WaveNet code) but is written ``* math.sqrt(2)``: each block doubles the variance of the
stream on top of the block's own output, so six blocks blow the activations and the
gradients up by orders of magnitude; there is no gradient clipping."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CH, LEN, CLASSES = 3, 64, 4
RES_SCALE = math.sqrt(2)


def series(n, g):
    t = torch.arange(LEN).float()
    y = torch.randint(0, CLASSES, (n,), generator=g)
    x = 0.5 * torch.randn(n, CH, LEN, generator=g)
    for i in range(n):
        start = int(torch.randint(0, LEN - 24, (1,), generator=g))
        w = torch.zeros(LEN)
        w[start:start + 24] = 1
        tt = t - start
        if y[i] == 0:
            s = torch.sin(2 * math.pi * tt / 8)
        elif y[i] == 1:
            s = torch.sign(torch.sin(2 * math.pi * tt / 12))
        elif y[i] == 2:
            s = torch.sin(2 * math.pi * tt * (0.03 + 0.012 * tt))
        else:
            s = (tt.remainder(6) == 0).float() * 2
        mix = torch.rand(CH, generator=g) + 0.3
        x[i] += mix[:, None] * (s * w)[None]
    return x, y


class Inception(nn.Module):
    def __init__(self, cin, nf=8):
        super().__init__()
        self.bottleneck = nn.Conv1d(cin, nf, 1, bias=False)
        self.convs = nn.ModuleList(nn.Conv1d(nf, nf, k, padding=k // 2, bias=False)
                                   for k in (9, 5, 3))
        self.pool_conv = nn.Conv1d(cin, nf, 1, bias=False)

    def forward(self, x):
        b = self.bottleneck(x)
        out = [c(b) for c in self.convs] + [self.pool_conv(F.max_pool1d(x, 3, 1, 1))]
        return F.relu(torch.cat(out, 1))


class InceptionTime(nn.Module):
    def __init__(self, depth=6, nf=8):
        super().__init__()
        self.stem = nn.Conv1d(CH, 4 * nf, 1)
        self.blocks = nn.ModuleList(Inception(4 * nf, nf) for _ in range(depth))
        self.head = nn.Linear(4 * nf, CLASSES)

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = (x + block(x)) * RES_SCALE
        return self.head(x.mean(-1))


def build():
    torch.manual_seed(0)
    return InceptionTime()


def main():
    from _sixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = series(1000, g)
    xtr, ytr, xva, yva = x[:800], y[:800], x[800:], y[800:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    f = open(out / "train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "loss", "grad_norm", "val_loss", "val_accuracy"])
    step, stop = 0, False
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(800, generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            if not torch.isfinite(loss):
                print("non-finite loss at step", step, "- stopping")
                w.writerow([epoch, step, loss.item(), "", "", ""])
                stop = True
                break
            opt.zero_grad()
            loss.backward()
            gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
            opt.step()
            step += 1
            w.writerow([epoch, step, round(loss.item(), 4), round(gn, 3), "", ""])
        if stop:
            break
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vl = F.cross_entropy(logits, yva).item()
            va = (logits.argmax(1) == yva).float().mean().item()
        w.writerow([epoch, step, "", "", round(vl, 4), round(va, 4)])
        print(epoch, step, round(vl, 4), round(va, 4))
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
               out / "inception_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="inception_last.pt", log="train_log.csv",
           what="InceptionTime-lite, residual sum scaled by sqrt(2) instead of sqrt(0.5), "
                "no batch norm, no clipping",
           complaint="Training dies in the first epoch: the loss shoots up to tens of thousands "
                     "and then goes NaN. The same data trained fine with a small plain CNN.")


if __name__ == "__main__":
    main()
