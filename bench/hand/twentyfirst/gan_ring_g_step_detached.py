"""A GAN on 2-D points: the target is the classic ring of 8 Gaussians (radius 2, std 0.05).
Generator MLP 8 -> 128 -> 128 -> 2, discriminator MLP 2 -> 128 -> 128 -> 1 (LeakyReLU), the
non-saturating BCE losses, Adam 1e-3 betas (0.5, 0.999) for both, batch 256, 2000 steps.
Every 100 steps the log holds the two losses and two sample-quality numbers on 2000 fresh
samples: ``modes`` (how many of the 8 modes get at least 1 % of the samples within 0.25) and
``hq`` (the share of samples within 0.25 of some mode).

The fake batch is made once per step with ``.detach()`` ("so the D step does not backprop into
G") and the same tensor is fed to D again in the generator step. ``g_loss.backward()`` then
reaches only D's weights (cleared by the next D step) and the generator never gets a gradient:
Adam skips it, its state stays empty and G is its random init for all 2000 steps. The
discriminator wins outright (d_loss 0.0004 at step 500, 0.0000 after; g_loss 8.4 -> 11.4);
modes 0/8, hq 0.00 from first to last. Control (``g_loss`` on ``D(G(z))`` without the detach):
modes 8/8 from step 500, hq 0.37 (step 500) -> 0.68 (step 2000), d_loss about 1.0-1.1."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

Z = 8
CENTRES = torch.tensor([[2 * math.cos(2 * math.pi * k / 8), 2 * math.sin(2 * math.pi * k / 8)]
                        for k in range(8)])


def ring(n, g):
    k = torch.randint(0, 8, (n,), generator=g)
    return CENTRES[k] + 0.05 * torch.randn(n, 2, generator=g)


def mlp(i, o):
    return nn.Sequential(nn.Linear(i, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128),
                         nn.LeakyReLU(0.2), nn.Linear(128, o))


class GAN(nn.Module):
    def __init__(self):
        super().__init__()
        self.G = mlp(Z, 2)
        self.D = mlp(2, 1)

    def forward(self, z):
        return self.G(z)


def build():
    torch.manual_seed(0)
    return GAN()


def quality(x):
    d = torch.cdist(x, CENTRES)
    near = d.min(1).values < 0.25
    hits = torch.bincount(d.argmin(1)[near], minlength=8)
    return int((hits >= 0.01 * len(x)).sum()), near.float().mean().item()


def main():
    from _twentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    gan = build()
    G, D = gan.G, gan.D
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    ones, zeros = torch.ones(256, 1), torch.zeros(256, 1)
    log = open(out / "gan_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["step", "d_loss", "g_loss", "modes", "hq"])
    for step in range(1, 2001):
        real = ring(256, g)
        fake = G(torch.randn(256, Z, generator=g)).detach()
        d_loss = (F.binary_cross_entropy_with_logits(D(real), ones)
                  + F.binary_cross_entropy_with_logits(D(fake), zeros))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = F.binary_cross_entropy_with_logits(D(fake), ones)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        if step % 100 == 0:
            with torch.no_grad():
                modes, hq = quality(G(torch.randn(2000, Z, generator=g)))
            w.writerow([step, round(d_loss.item(), 4), round(g_loss.item(), 4), modes,
                        round(hq, 3)])
            print(step, round(d_loss.item(), 4), round(g_loss.item(), 4), modes, round(hq, 3))
    log.close()
    torch.save({"model": gan.state_dict(), "opt_g": opt_g.state_dict(),
                "opt_d": opt_d.state_dict(), "step": step}, out / "gan_ring.pt")
    finish(out, __file__, (torch.randn(256, Z, generator=g), ring(256, g)),
           causes=["gradient_not_flowing"], checkpoint="gan_ring.pt", log="gan_log.csv",
           what="GAN on the 8-Gaussian ring; the fake batch is detached once and reused in the "
                "generator step, so G never gets a gradient",
           complaint="my GAN generator does not learn at all: the discriminator loss goes to "
                     "0.01 and the samples never get near any of the 8 modes")


if __name__ == "__main__":
    main()
