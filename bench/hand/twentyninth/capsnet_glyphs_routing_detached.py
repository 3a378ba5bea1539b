"""Capsule network with dynamic routing on synthetic 16×16 glyphs: 8 stroke shapes (bars,
cross, X, L, T, box, wedge) drawn with a random offset, grey level and stroke jitter on a noisy
frame. Conv 5×5 (32 channels, ReLU) → primary capsules (conv 5×5 stride 2 into 8 capsule maps
of 8 dimensions: 128 capsules on a 4×4 grid, squashed) → 8 glyph capsules of 16 dimensions by
3 routing-by-agreement iterations; margin loss (m+ 0.9, m− 0.1, λ 0.5) plus 0.0005 × the
summed squared error of a small decoder that redraws the glyph from the true class's capsule.
Adam 1e-3, batch 64, 6 epochs of 2400 glyphs; the log is a CSV per epoch.
Bug: the routing loop follows the common "route on a detached copy of the predictions"
recipe (``u_hat_d = u_hat.detach()`` for the agreement updates) but uses ``u_hat_d`` in the
final iteration too, where the real ``u_hat`` belongs: the margin loss sends no gradient into
the capsules, the primary-capsule conv or the first conv, which stay as initialised. Only the
decoder learns (from the recon term); the margin loss and the accuracy stay near where they
started."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, CLASSES, ROUTING = 16, 8, 3


def glyph_templates():
    t = torch.zeros(CLASSES, 10, 10)
    t[0, 4:6, :] = 1                      # horizontal bar
    t[1, :, 4:6] = 1                      # vertical bar
    t[2, 4:6, :] = 1
    t[2, :, 4:6] = 1                      # cross
    for i in range(10):
        t[3, i, i] = t[3, i, 9 - i] = 1   # X
        t[6, i, max(0, i // 2 + 0)] = 1
        t[6, i, min(9, 9 - i // 2)] = 1   # wedge
    t[4, :, 0:2] = 1
    t[4, 8:10, :] = 1                     # L
    t[5, 0:2, :] = 1
    t[5, :, 4:6] = 1                      # T
    t[7, 0:2, :] = t[7, 8:10, :] = 1
    t[7, :, 0:2] = t[7, :, 8:10] = 1      # box
    return t


def glyphs(n, g):
    t = glyph_templates()
    y = torch.randint(0, CLASSES, (n,), generator=g)
    x = 0.25 * torch.randn(n, 1, S, S, generator=g)
    off = torch.randint(0, S - 10 + 1, (n, 2), generator=g)
    level = 0.6 + 0.4 * torch.rand(n, generator=g)
    for i in range(n):
        shape = t[y[i]] * (torch.rand(10, 10, generator=g) > 0.1)   # broken strokes
        r, c = int(off[i, 0]), int(off[i, 1])
        x[i, 0, r:r + 10, c:c + 10] += level[i] * shape
    return x, y


def squash(s, dim=-1):
    n2 = (s * s).sum(dim, keepdim=True)
    return n2 / (1 + n2) * s / torch.sqrt(n2 + 1e-8)


class CapsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 32, 5)                       # 16 → 12
        self.primary = nn.Conv2d(32, 8 * 8, 5, stride=2)      # 12 → 4: 8 maps × 8 dims
        self.W = nn.Parameter(0.05 * torch.randn(128, CLASSES, 16, 8))
        self.decoder = nn.Sequential(nn.Linear(16 * CLASSES, 128), nn.ReLU(),
                                     nn.Linear(128, S * S), nn.Sigmoid())

    def forward(self, x):
        h = F.relu(self.conv(x))
        p = self.primary(h)                                   # (B, 64, 4, 4)
        u = p.view(-1, 8, 8, 16).permute(0, 1, 3, 2).reshape(-1, 128, 8)
        u = squash(u)
        u_hat = torch.einsum("icdk,bik->bicd", self.W, u)    # (B, 128, CLASSES, 16)
        u_hat_d = u_hat.detach()
        b = torch.zeros(u_hat.shape[:3])
        for _ in range(ROUTING):
            c = torch.softmax(b, dim=2)
            v = squash((c[..., None] * u_hat_d).sum(1))       # (B, CLASSES, 16)
            b = b + (u_hat_d * v[:, None]).sum(-1)
        return v

    def reconstruct(self, v, y):
        mask = F.one_hot(y, CLASSES).float()[..., None]
        return self.decoder((v * mask).flatten(1))


def margin_loss(v, y):
    length = v.norm(dim=-1)
    t = F.one_hot(y, CLASSES).float()
    loss = t * F.relu(0.9 - length) ** 2 + 0.5 * (1 - t) * F.relu(length - 0.1) ** 2
    return loss.sum(1).mean()


def build():
    torch.manual_seed(0)
    return CapsNet()


def main():
    from _twentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = glyphs(3000, g)
    tx, ty, vx, vy = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "capsnet_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["epoch", "margin_loss", "recon_loss", "val_margin_loss", "val_accuracy"])
    for epoch in range(6):
        model.train()
        tm = tr = 0.0
        batches = torch.randperm(2400, generator=g).split(64)
        for idx in batches:
            v = model(tx[idx])
            m = margin_loss(v, ty[idx])
            r = ((model.reconstruct(v, ty[idx]) - tx[idx].flatten(1)) ** 2).sum(1).mean()
            opt.zero_grad()
            (m + 0.0005 * r).backward()
            opt.step()
            tm += m.item() / len(batches)
            tr += r.item() / len(batches)
        model.eval()
        with torch.no_grad():
            v = model(vx)
            vm = margin_loss(v, vy).item()
            acc = (v.norm(dim=-1).argmax(1) == vy).float().mean().item()
        log.writerow([epoch, round(tm, 4), round(tr, 3), round(vm, 4), round(acc, 4)])
        print(epoch, round(tm, 4), round(tr, 3), round(vm, 4), round(acc, 4), flush=True)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
               out / "capsnet.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["gradient_not_flowing"],
           checkpoint="capsnet.pt", log="capsnet_log.csv",
           what="capsule net, 3 routing iterations, margin + recon loss; the last routing "
                "iteration uses the detached predictions",
           complaint="my CapsNet won't learn: the margin loss barely moves from the first "
                     "epoch and validation accuracy is stuck far below a plain CNN, only the "
                     "reconstruction loss goes down")


if __name__ == "__main__":
    main()
