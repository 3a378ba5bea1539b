"""GAN sanity check before the real training: the discriminator alone learns to tell real
samples (an 8-d mixture of 6 Gaussians) from the outputs of the still-untrained generator.
BCE with logits, Adam 2e-4 (betas 0.5, 0.999) as in DCGAN. The fake labels line was
copied from the real one and still says ``torch.ones``: both kinds are labelled "real"."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def real_samples(n, g):
    centres = torch.randn(6, 8, generator=torch.Generator().manual_seed(42)) * 2
    k = torch.randint(0, 6, (n,), generator=g)
    return centres[k] + 0.3 * torch.randn(n, 8, generator=g)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64),
                                 nn.LeakyReLU(0.2), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)


def build():
    torch.manual_seed(0)
    return Discriminator()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(1)
    gen = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 8)).requires_grad_(False)
    disc = build()
    opt = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
    vreal = real_samples(500, g)
    vfake = gen(torch.randn(500, 4, generator=g))
    f = open(out / "d_sanity.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "d_loss", "val_loss", "val_acc"])
    for step in range(1500):
        real = real_samples(64, g)
        fake = gen(torch.randn(64, 4, generator=g))
        real_labels = torch.ones(64)
        fake_labels = torch.ones(64)
        d_loss = (F.binary_cross_entropy_with_logits(disc(real), real_labels)
                  + F.binary_cross_entropy_with_logits(disc(fake), fake_labels))
        opt.zero_grad()
        d_loss.backward()
        opt.step()
        if step % 20 == 19:
            with torch.no_grad():
                s_real, s_fake = disc(vreal), disc(vfake)
                vl = (F.binary_cross_entropy_with_logits(s_real, torch.ones(500))
                      + F.binary_cross_entropy_with_logits(s_fake, torch.zeros(500)))
                acc = ((s_real > 0).float().mean() + (s_fake < 0).float().mean()) / 2
            w.writerow([step, d_loss.item(), vl.item(), acc.item()])
    f.close()
    print("D val acc", acc.item(), "val loss", vl.item())
    torch.save({"discriminator": disc.state_dict(), "optimizer": opt.state_dict(),
                "step": step}, out / "disc.pt")
    x = torch.cat([vreal[:64], vfake[:64]])
    y = torch.cat([torch.ones(64), torch.zeros(64)])
    finish(out, __file__, (x, y), causes=["labels_wrong"], checkpoint="disc.pt", log="d_sanity.csv",
           what="fake samples labelled 1 like the real ones (copy-paste)",
           complaint="the discriminator loss drops to almost zero right away but on "
                     "held-out data it is only 50% accurate")


if __name__ == "__main__":
    main()
