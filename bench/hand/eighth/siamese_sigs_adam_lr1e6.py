"""Siamese net for online-signature verification: each signature is a pen trajectory (64
points of dx, dy, pressure); 40 writers with a personal stroke style, each signing with
random variation. A shared 1-D conv encoder maps a signature to a 16-d embedding and the
classic contrastive loss (Hadsell et al.: same writer pulled together, different writers
pushed beyond margin 1.0) trains it on random pairs, half genuine. Adam, batch 64, 12
epochs of 40 batches. Logged: the contrastive loss and the pair accuracy at distance 0.5,
train and val (val on 10 unseen writers). Bug: the lr is 1e-6, copied from a fine-tuning
recipe for a pretrained encoder; this one starts from scratch. The val loss creeps from
0.1915 to 0.1877 in 12 epochs and the pair accuracy stays at 0.50 (at 1e-3: val loss 0.02,
pair accuracy 0.96)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

P = 64


def writers(n, g):
    return torch.randn(n, 3, 6, generator=g)  # per-writer Fourier style of dx, dy, pressure


def sign(style, g):
    t = torch.linspace(0, 1, P)[None, None, :, None]
    k = torch.arange(1, 7, dtype=torch.float32)[None, None, None, :]
    phase = 0.3 * torch.randn(style.shape[0], 1, 1, 6, generator=g)
    wave = torch.sin(2 * torch.pi * k * t + phase)
    x = (style[:, :, None, :] * wave).sum(-1) / 3
    return x + 0.3 * torch.randn(x.shape, generator=g)


def pairs(styles, n, g):
    a = torch.randint(len(styles), (n,), generator=g)
    same = (torch.rand(n, generator=g) < 0.5)
    b = torch.where(same, a, (a + torch.randint(1, len(styles), (n,), generator=g)) % len(styles))
    return sign(styles[a], g), sign(styles[b], g), same.float()


class SigEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(3, 32, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(32, 32, 5, padding=2, stride=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(4), nn.Flatten(), nn.Linear(128, 16))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return SigEncoder()


def contrastive(e1, e2, same, margin=1.0):
    d = F.pairwise_distance(e1, e2)
    return (same * d.pow(2) + (1 - same) * F.relu(margin - d).pow(2)).mean() / 2, d


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_styles, val_styles = writers(40, g), writers(10, g)
    va, vb, vsame = pairs(val_styles, 600, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-6)  # BUG: a fine-tuning lr, from scratch
    with open(out / "siamese.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_pair_acc", "val_loss", "val_pair_acc"])
        for epoch in range(12):
            model.train()
            tot = hit = 0.0
            for _ in range(40):
                a, b, same = pairs(train_styles, 64, g)
                loss, d = contrastive(model(a), model(b), same)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() / 40
                hit += ((d < 0.5).float() == same).float().mean().item() / 40
            model.eval()
            with torch.no_grad():
                vloss, vd = contrastive(model(va), model(vb), vsame)
            vacc = ((vd < 0.5).float() == vsame).float().mean().item()
            row = [epoch, tot, hit, vloss.item(), vacc]
            w.writerow(row)
            print([round(v, 4) for v in row])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "siamese.pt")
    who = torch.arange(10).repeat(13)[:128]  # val signatures and their writer ids
    finish(out, __file__, (sign(val_styles[who], g), who), causes=["lr_too_low"],
           checkpoint="siamese.pt",
           log="siamese.csv",
           what="siamese conv encoder from scratch at Adam lr 1e-6",
           complaint="my siamese network does not learn anything, the pair accuracy is 50% after "
                     "12 epochs and the loss has hardly moved from 0.19")


if __name__ == "__main__":
    main()
