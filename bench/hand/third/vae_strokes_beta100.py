"""MLP VAE on 14x14 images of single pen strokes (a line at a random angle and offset).
Bernoulli decoder (BCE with logits), Adam 1e-3. The KL weight was taken from a beta-VAE
paper's table (beta = 100, meant for a per-pixel mean loss) while the recon term here is a
sum over 196 pixels: the KL term swamps the reconstruction."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BETA = 100.0


def strokes(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 14), torch.linspace(-1, 1, 14), indexing="ij")
    angle = math.pi * torch.rand(n, 1, 1, generator=g)
    offset = 0.8 * (torch.rand(n, 1, 1, generator=g) - 0.5)
    dist = (xx * torch.sin(angle) - yy * torch.cos(angle) - offset).abs()
    return (dist < 0.12).float().view(n, 196)


class VAE(nn.Module):
    def __init__(self, z=4):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(196, 128), nn.ReLU(), nn.Linear(128, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, 128), nn.ReLU(), nn.Linear(128, 196))

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.dec(z), mu, logvar


def losses(model, x):
    logits, mu, logvar = model(x)
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
    kl = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp()) / len(x)
    return recon + BETA * kl, recon, kl


def build():
    torch.manual_seed(0)
    return VAE()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data, val = strokes(4000, g), strokes(500, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "vae_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "recon", "kl", "val_loss", "val_recon"])
    for epoch in range(15):
        perm = torch.randperm(len(data), generator=g)
        for i in range(0, len(data), 100):
            loss, recon, kl = losses(model, data[perm[i:i + 100]])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            vloss, vrecon, _ = losses(model, val)
        w.writerow([epoch, loss.item(), recon.item(), kl.item(), vloss.item(), vrecon.item()])
    f.close()
    print("val recon", vrecon.item(), "kl", kl.item())
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "vae.pth")
    finish(out, __file__, (val[:100], val[:100]), causes=["over_regularization"],
           checkpoint="vae.pth", log="vae_metrics.csv",
           what="KL weight 100 on a summed recon loss: posterior collapse",
           complaint="every reconstruction looks like the same grey blur, KL is almost zero")


if __name__ == "__main__":
    main()
