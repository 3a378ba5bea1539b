"""β-VAE (β = 4) written by hand on synthetic coloured shapes: 16×16 RGB images of one circle,
square or diamond (radius 2–4, anywhere, a random colour on black, a little pixel noise).
Conv encoder 3 → 32 → 64 (stride 2) → 128 → μ, log σ² of an 8-d latent; a mirrored decoder to
3-channel logits. Loss per image: Bernoulli reconstruction (BCE with logits, summed over
pixels) + β·KL, averaged over the batch; Adam 1e-3, batch 64, 16 epochs over 2400 images, 600
held out. The log is a CSV per epoch (reconstruction and KL in nats, the β-weighted loss, and
the same three on the held-out images).
Healthy: the KL is held low on purpose by β (about 5 nats, after sitting near 0 for the first
4 epochs), so the reconstructions are blurrier than a plain VAE's and the loss never gets near
zero; it levels off (val loss 154.6 → 152.8 over the last 4 epochs); val is below train because
train samples z and val uses μ."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, Z, BETA = 16, 8, 4.0


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    kind = torch.randint(0, 3, (n,), generator=g)
    cx = torch.randint(3, S - 3, (n,), generator=g).float()[:, None, None]
    cy = torch.randint(3, S - 3, (n,), generator=g).float()[:, None, None]
    r = torch.randint(2, 5, (n,), generator=g).float()[:, None, None]
    dx, dy = xx[None] - cx, yy[None] - cy
    circle = dx ** 2 + dy ** 2 <= r ** 2
    square = (dx.abs() <= r) & (dy.abs() <= r)
    diamond = dx.abs() + dy.abs() <= r
    k = kind[:, None, None]
    mask = torch.where(k == 0, circle, torch.where(k == 1, square, diamond)).float()
    colour = torch.rand(n, 3, generator=g) * 0.8 + 0.2
    img = mask[:, None] * colour[:, :, None, None]
    return (img + 0.03 * torch.randn(img.shape, generator=g)).clamp(0, 1)


class BetaVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(),
                                 nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten(),
                                 nn.Linear(64 * 16, 128), nn.ReLU())
        self.mu = nn.Linear(128, Z)
        self.logvar = nn.Linear(128, Z)
        self.dec_fc = nn.Sequential(nn.Linear(Z, 128), nn.ReLU(), nn.Linear(128, 64 * 16),
                                    nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 3, 4, 2, 1))

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp() if self.training else mu
        return self.dec(self.dec_fc(z).view(-1, 64, 4, 4)), mu, logvar


def terms(model, x):
    logits, mu, logvar = model(x)
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
    kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(1).mean()
    return recon, kl


def build():
    torch.manual_seed(0)
    return BetaVAE()


def main():
    from _fiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = shapes(3000, g)
    xtr, xva = x[:2400], x[2400:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "betavae_log.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "recon_nats", "kl_nats", "loss", "val_recon_nats", "val_kl_nats",
                    "val_loss"])
        for epoch in range(16):
            model.train()
            perm = torch.randperm(2400, generator=g)
            sums = [0.0, 0.0]
            for i in range(0, 2400, 64):
                xb = xtr[perm[i:i + 64]]
                recon, kl = terms(model, xb)
                loss = recon + BETA * kl
                opt.zero_grad()
                loss.backward()
                opt.step()
                sums[0] += recon.item() * len(xb)
                sums[1] += kl.item() * len(xb)
            model.eval()
            with torch.no_grad():
                vr, vk = (t.item() for t in terms(model, xva))
            r, k = sums[0] / 2400, sums[1] / 2400
            row = [epoch, round(r, 2), round(k, 3), round(r + BETA * k, 2), round(vr, 2),
                   round(vk, 3), round(vr + BETA * vk, 2)]
            w.writerow(row)
            print(row)
    torch.save({"vae": model.state_dict(), "adam": opt.state_dict(), "epoch": epoch,
                "beta": BETA}, out / "betavae_shapes.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="betavae_shapes.pt",
           log="betavae_log.csv",
           what="hand-written beta-VAE (beta 4) on coloured 16x16 shapes (healthy)")


if __name__ == "__main__":
    main()
