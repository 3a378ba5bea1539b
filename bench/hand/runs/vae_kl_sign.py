"""MLP VAE on 16x16 shape images. The KL term was typed from memory with the wrong sign,
so the optimiser maximises the KL divergence instead of minimising it."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    cx, cy = 4 + 8 * torch.rand(2, n, 1, 1, generator=g)
    r = 2 + 3 * torch.rand(n, 1, 1, generator=g)
    img = ((xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2).float()
    return img.view(n, 256)


class VAE(nn.Module):
    def __init__(self, d=256, h=128, z=8):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU())
        self.mu = nn.Linear(h, z)
        self.logvar = nn.Linear(h, z)
        self.dec = nn.Sequential(nn.Linear(z, h), nn.ReLU(), nn.Linear(h, d))

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


def build():
    torch.manual_seed(0)
    return VAE()


def vae_loss(logits, x, mu, logvar):
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
    kld = 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.shape[0]  # sign!
    return recon + kld, recon, kld


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data, val = shapes(2048, g), shapes(256, g)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "vae_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["step", "loss", "recon", "kl", "val_loss"])
    step = 0
    for _epoch in range(6):
        perm = torch.randperm(len(data), generator=g)
        for i in range(0, len(data), 128):
            x = data[perm[i:i + 128]]
            logits, mu, logvar = model(x)
            loss, recon, kld = vae_loss(logits, x, mu, logvar)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                val_loss = vae_loss(*model(val)[:1], val, *model(val)[1:])[0].item()
            log.writerow([step, loss.item(), recon.item(), kld.item(), val_loss])
            step += 1
    f.close()
    print("loss", loss.item(), "recon", recon.item(), "kl", kld.item())
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, out / "vae.pt")
    finish(out, __file__, (val[:64], val[:64]), causes=["loss_sign_error"], checkpoint="vae.pt",
           log="vae_log.csv", what="VAE with the KL term's sign flipped (KL maximised)",
           complaint="my VAE loss keeps going down into large negative numbers, samples are junk")


if __name__ == "__main__":
    main()
