"""Plankton taxa from 24×24 grey microscope crops (synthetic) with soft labels from five
annotators. Four taxa: round diatoms (filled discs), radiolarians (rings with spines), copepods
(elongated bodies with two antennae) and chain diatoms (3–5 beads in a row); random size,
rotation, brightness, blur-free pixel noise 0.15, and a random "ambiguity" per crop (0–0.6)
that blends in a second taxon's shape; each of five annotators picks the shown taxon with
probability 1 − ambiguity/2, else the blended one, so the target is the vote distribution
(counts / 5). Small CNN: conv 16 → pool → conv 32 → pool → conv 32 → global average pool →
linear to 4 logits. Adam 2e-3, batch 32, 10 epochs of 1600 crops; a CSV per epoch with the
KL loss on train and val and the val top-1 agreement with the annotators' majority.
Bug: the loss is ``nn.KLDivLoss(reduction="batchmean")(logits, votes)`` on the raw logits, as
if it were CrossEntropyLoss (which takes logits); KLDivLoss wants log-probabilities. The loss
is then Σ v·(log v − z): unbounded below in the logits, which grow without limit; it goes
negative in the first epoch and keeps falling (train −62 → −3.1e7 in 10 epochs), and the
model collapses onto one or two taxa: val majority top-1 0.21–0.26 (four taxa, about a quarter
each). Control (``F.log_softmax`` before the criterion): train KL 0.52, val KL 0.51–0.58, val
majority top-1 0.71–0.77 over the last 4 epochs (the votes themselves are noisy)."""
import csv
import math

import torch
import torch.nn as nn

SIZE = 24


def shape(kind, n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, SIZE), torch.linspace(-1, 1, SIZE),
                            indexing="ij")
    ang = torch.rand(n, 1, 1, generator=g) * math.pi
    s = 0.7 + 0.5 * torch.rand(n, 1, 1, generator=g)
    u = (xx * torch.cos(ang) + yy * torch.sin(ang)) / s
    v = (-xx * torch.sin(ang) + yy * torch.cos(ang)) / s
    r = (u ** 2 + v ** 2).sqrt()
    if kind == 0:  # disc
        img = (r < 0.45).float()
    elif kind == 1:  # ring with spines
        theta = torch.atan2(v, u)
        img = ((r > 0.35) & (r < 0.5)).float() + ((torch.cos(8 * theta) > 0.9) & (r < 0.8)).float()
    elif kind == 2:  # copepod: elongated body + antennae
        img = ((u / 0.7) ** 2 + (v / 0.22) ** 2 < 1).float()
        img = img + ((v.abs() - 0.25 - 0.6 * (u + 0.6).clamp(min=0)).abs() < 0.06).float() * (u < -0.3)
    else:  # chain of beads
        img = sum(((u - c) ** 2 + v ** 2 < 0.04).float() for c in (-0.6, -0.2, 0.2, 0.6))
    return img.clamp(0, 1)


def plankton(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    other = (y + torch.randint(1, 4, (n,), generator=g)) % 4
    amb = 0.6 * torch.rand(n, generator=g)
    shapes = torch.stack([shape(k, n, g) for k in range(4)])  # (4, n, S, S)
    idx = torch.arange(n)
    img = (1 - amb[:, None, None]) * shapes[y, idx] + amb[:, None, None] * shapes[other, idx]
    img = img * (0.6 + 0.4 * torch.rand(n, 1, 1, generator=g))
    img = img + 0.15 * torch.randn(n, SIZE, SIZE, generator=g)
    picks = torch.rand(n, 5, generator=g) < (1 - amb[:, None] / 2)
    votes = torch.zeros(n, 4)
    votes[idx, y] += picks.sum(1).float()
    votes[idx, other] += (~picks).sum(1).float()
    return img[:, None], votes / 5


class PlanktonCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.classifier = nn.Linear(32, 4)

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return PlanktonCNN()


def main():
    from _seventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, v = plankton(2000, g)
    xtr, vtr, xva, vva = x[:1600], v[:1600], x[1600:], v[1600:]
    model = build()
    criterion = nn.KLDivLoss(reduction="batchmean")
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "plankton_kl.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "kl_train", "kl_val", "val_majority_top1"])
    for epoch in range(1, 11):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = criterion(model(xtr[idx]), vtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(tot / len(xtr), 4), round(criterion(lo, vva).item(), 4),
                   round((lo.argmax(1) == vva.argmax(1)).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"cnn_weights": model.state_dict(), "adam_state": opt.state_dict(),
                "epoch": epoch, "classes": ["disc_diatom", "radiolarian", "copepod",
                                            "chain_diatom"]}, out / "plankton_cnn.pt")
    finish(out, __file__, (xva[:64], vva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="plankton_cnn.pt", log="plankton_kl.csv",
           what="plankton CNN on annotator vote distributions, KLDivLoss fed raw logits",
           complaint="Training my plankton classifier on the annotators' vote fractions: the "
                     "KL loss went below zero in the first epoch and is still going down, "
                     "which I thought was impossible, and the accuracy against the majority "
                     "vote is not good.")


if __name__ == "__main__":
    main()
