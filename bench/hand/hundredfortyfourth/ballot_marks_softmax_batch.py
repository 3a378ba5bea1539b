"""Ballot-mark reader for hand-marked paper ballots: a small CNN sorts 16×16 scanned target
areas (the oval beside a candidate) into blank, filled oval, check mark, cross, or a
hesitation mark (a faint dot / stray stroke that must not count as a vote), drawn
synthetically with a printed oval outline, scanner noise, small shifts and ink darkness
0.5–1.0. Conv 1→16→32 (3×3, max-pools), linear head to 5 classes. Adam 1e-3, batch 64,
8 epochs of 2000 marks; a CSV log per epoch (train loss, val accuracy, val loss).
Bug: the loss is written by hand as ``nll_loss(torch.log(F.softmax(logits, dim=0)), y)`` — the
softmax normalises over the 64 ballots of the batch instead of over the 5 classes (the head's
bias drops out, the class scores are only ranked within each column). Ovals are imbalanced
(half blank), 0.35 scanner noise, ink 0.3–1.0. Val accuracy 0.16, 0.15, 0.13 (below the 0.50
all-blank baseline), 0.35, 0.41, 0.55, 0.64, 0.72; train loss 3.74 → 3.16, val loss 5.61 →
5.28. The control (``dim=1``) reaches val accuracy 0.78 after epoch 1 and 0.934 at epoch 8,
train loss 0.207, val loss 0.226."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16
KINDS = ["blank", "filled", "check", "cross", "hesitation"]
PRIOR = torch.tensor([0.50, 0.30, 0.08, 0.07, 0.05])  # most ovals on a ballot stay blank


def marks(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.multinomial(PRIOR, n, replacement=True, generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        cy, cx = 8 + torch.randint(-1, 2, (2,), generator=g).float()
        r2 = ((yy - cy) / 4.5) ** 2 + ((xx - cx) / 6) ** 2
        im = 0.35 * ((r2 > 0.8) & (r2 < 1.1)).float()  # printed oval
        ink = 0.3 + 0.7 * float(torch.rand(1, generator=g))
        k = int(y[i])
        if k == 1:
            im = torch.maximum(im, ink * (r2 < 0.9).float())
        elif k == 2:
            d = (((yy - cy) - (xx - cx + 2)).abs() < 1.0) & (xx < cx + 1) & (xx > cx - 4)
            u = (((yy - cy) + 0.6 * (xx - cx)).abs() < 1.0) & (xx >= cx - 1) & (xx < cx + 6)
            im = torch.maximum(im, ink * (d | u).float())
        elif k == 3:
            a = ((yy - cy) - (xx - cx)).abs() < 1.0
            b = ((yy - cy) + (xx - cx)).abs() < 1.0
            im = torch.maximum(im, ink * ((a | b) & (r2 < 1.4)).float())
        elif k == 4:
            dy, dx = torch.randint(-2, 3, (2,), generator=g).float()
            im = torch.maximum(im, ink * (((yy - cy - dy) ** 2 + (xx - cx - dx) ** 2) < 2.5).float())
        img[i, 0] = im
    img = img + 0.35 * torch.randn(img.shape, generator=g)
    return (img - 0.15) / 0.3, y


class MarkCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(32 * 4 * 4, 5)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


def build():
    torch.manual_seed(0)
    return MarkCNN()


def main():
    from _hundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = marks(2000, g)
    xva, yva = marks(500, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "marks_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_accuracy", "val_loss"])
        for epoch in range(1, 9):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                logits = model(xtr[idx])
                probs = F.softmax(logits, dim=0)
                loss = F.nll_loss(torch.log(probs + 1e-8), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                vl = F.nll_loss(torch.log(F.softmax(lo, dim=0) + 1e-8), yva).item()
                acc = (lo.argmax(1) == yva).float().mean().item()
            w.writerow([epoch, round(tot / len(xtr), 4), round(acc, 4), round(vl, 4)])
            print(epoch, round(tot / len(xtr), 4), round(acc, 4), round(vl, 4))
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 8,
                "classes": KINDS}, out / "markcnn_epoch8.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="markcnn_epoch8.pt", log="marks_log.csv",
           what="ballot-mark CNN, hand-written NLL over softmax(dim=0) (over the batch)",
           complaint="Our ballot-mark classifier doesn't learn properly. After 8 epochs validation "
                     "accuracy is 0.72, and for the first 3 epochs it was 0.13-0.16, worse than "
                     "calling every oval blank (half of them are). The training loss only went "
                     "from 3.74 to 3.16 and the val loss sits at 5.28. It's a small CNN on "
                     "16x16 crops, Adam 1e-3, the marks are not hard to tell apart by eye.")


if __name__ == "__main__":
    main()
