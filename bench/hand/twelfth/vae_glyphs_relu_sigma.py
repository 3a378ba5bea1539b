"""A VAE on 12x12 glyphs (bars, crosses, boxes and diagonals at random positions and
thickness, a little blur and pixel noise; pixels in [0, 1]), MLP encoder 144-256-128 to a
10-d latent, MLP decoder back to 144 logits, pixel BCE (summed per image) + KL, Adam 1e-3,
batch 64, 8 epochs, a CSV per 20 batches with recon / kl / loss and a val row per epoch.
Bug: the encoder's std head is ``F.relu(self.sigma(h))`` ("a std has to be positive") and the
KL is written with ``torch.log(sigma ** 2)``: every latent unit whose pre-activation is
negative has sigma exactly 0, log(0) = -inf, and the KL, the loss and the val loss are inf in
every logged row of the first 7 epochs (the recon term still falls, 100 -> 60, because the
ReLU's mask zeroes the inf gradient; with ``softplus(.) + 1e-4``: recon 57.6, KL 3.6, val
60.0)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, Z = 12, 10


def glyphs(n, g):
    img = torch.zeros(n, S, S)
    r = torch.arange(S).float()
    for i in range(n):
        kind = int(torch.randint(0, 4, (1,), generator=g))
        c = torch.randint(3, S - 3, (2,), generator=g).float()
        w = 0.5 + torch.rand(1, generator=g).item()
        yy, xx = r[:, None], r[None]
        if kind == 0:
            m = (yy - c[0]).abs() < w
        elif kind == 1:
            m = ((yy - c[0]).abs() < w) | ((xx - c[1]).abs() < w)
        elif kind == 2:
            m = (((yy - c[0]).abs() - 3).abs() < w) & ((xx - c[1]).abs() < 3 + w)
            m |= (((xx - c[1]).abs() - 3).abs() < w) & ((yy - c[0]).abs() < 3 + w)
        else:
            m = ((yy - xx) - (c[0] - c[1])).abs() < w
        img[i] = m.float()
    img = F.avg_pool2d(img[:, None], 3, 1, 1)[:, 0] * 0.8 + 0.2 * img
    img = (img + 0.05 * torch.randn(n, S, S, generator=g)).clamp(0, 1)
    return img.flatten(1)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(S * S, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU())
        self.mu, self.sigma = nn.Linear(128, Z), nn.Linear(128, Z)
        self.dec = nn.Sequential(nn.Linear(Z, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(),
                                 nn.Linear(256, S * S))

    def forward(self, x):
        h = self.enc(x)
        mu = self.mu(h)
        sigma = F.relu(self.sigma(h))  # BUG: exactly 0 for about half the units
        z = mu + sigma * torch.randn_like(sigma)
        return self.dec(z), mu, sigma


def vae_loss(x, logits, mu, sigma):
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
    kl = -0.5 * torch.sum(1 + torch.log(sigma ** 2) - mu ** 2 - sigma ** 2) / len(x)
    return recon, kl


def build():
    torch.manual_seed(0)
    return VAE()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = glyphs(3000, g)
    train, val = data[:2600], data[2600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "vae_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "it", "recon", "kl", "loss", "val_loss"])
    for epoch in range(8):
        model.train()
        for it, idx in enumerate(torch.randperm(len(train), generator=g).split(64)):
            recon, kl = vae_loss(train[idx], *model(train[idx]))
            loss = recon + kl
            opt.zero_grad()
            loss.backward()
            opt.step()
            if it % 20 == 0:
                w.writerow([epoch, it, recon.item(), kl.item(), loss.item(), ""])
        model.eval()
        with torch.no_grad():
            vr, vk = vae_loss(val, *model(val))
        w.writerow([epoch, it, "", "", "", (vr + vk).item()])
        print(epoch, recon.item(), kl.item(), (vr + vk).item())
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict()}, out / "vae.pt")
    finish(out, __file__, (val[:64], val[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="vae.pt", log="vae_log.csv",
           what="MLP VAE whose std head is a ReLU, KL with log(sigma**2)",
           complaint="my VAE's KL term and total loss print as inf from the very first batch and "
                     "stay inf for almost the whole run, even though the reconstruction loss "
                     "goes down normally")


if __name__ == "__main__":
    main()
