"""Plain torch: a 2-D CNN with batch norm names the stitch pattern of a knitted swatch from a
small greyscale photo (24 × 24 pixels, roughly 2 pixels a stitch), so a yarn shop's pattern
library can tag the customers' project photos. 4 patterns: stockinette (0, soft vertical
columns of V's, period 2 across), garter (1, horizontal ridges every 2 rows), 2x2 rib (2,
deep vertical channels, period 4 across), seed stitch (3, a checkerboard of purl bumps). Each
photo: the pattern at a random phase, contrast 0.3-1.0 (yarn colour and lighting), the swatch
tilted a little (a shear of up to ±0.15 pixel per row), a brightness gradient from the window,
heathered yarn (smooth blotches) and sensor noise. Input: (1, 24, 24), brightness about 0 ± 0.5
Model: conv 1→16 (k 3) + BN + ReLU, conv 16→16 + BN + ReLU + max-pool 2, conv 16→32 + BN +
ReLU + max-pool 2, global average pool → dropout 0.2 → linear 32→4; cross entropy, SGD 0.05
momentum 0.9 nesterov, weight decay 5e-4, MultiStepLR ×0.2 at epochs 6 and 9, batch 48,
1440 photos, validation on 360, 11 epochs.
Healthy; numbers in the README.
Log: TSV per step every 10 steps ``swatch_steps.tsv`` (``step`` / ``epoch`` / ``ce``) and a
separate CSV per epoch ``swatch_val.csv`` (``epoch`` / ``lr`` / ``val_ce`` / ``val_acc`` /
``val_acc_rib``, named as the log in the truth); checkpoint ``swatch_cnn.pt`` with keys
``model`` / ``sgd`` / ``milestones`` / ``epoch`` / ``patterns``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
PATTERNS = ["stockinette", "garter", "rib_2x2", "seed"]


def photos(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    rows = torch.arange(S).float()[None, :, None]
    cols = torch.arange(S).float()[None, None, :]
    shear = 0.3 * (r(n, 1, 1) - 0.5)
    c = cols + shear * rows + 4 * r(n, 1, 1)
    rr = rows + 4 * r(n, 1, 1)
    pats = torch.stack([0.6 * torch.cos(torch.pi * c),
                        torch.cos(torch.pi * rr).expand(n, S, S),
                        torch.cos(torch.pi * c / 2),
                        torch.cos(torch.pi * c) * torch.cos(torch.pi * rr)], 1)
    img = (0.3 + 0.7 * r(n, 1, 1)) * pats[torch.arange(n), y]
    img = img + 0.6 * (r(n, 1, 1) - 0.5) * (rows + cols) / S
    blot = F.avg_pool2d(torch.randn(n, 1, S, S, generator=g), 5, 1, 2).squeeze(1)
    img = img + 0.8 * blot + 0.25 * torch.randn(n, S, S, generator=g)
    return img.unsqueeze(1), y


class SwatchCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(32, 4))

    def forward(self, x):
        return self.head(self.body(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return SwatchCNN()


def main():
    from _threehundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = photos(1440, g)
    xva, yva = photos(360, g)
    print("pixels", xtr.mean().item(), xtr.std().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[6, 9], gamma=0.2)
    step = 0
    with open(out / "swatch_steps.tsv", "w") as steps, \
            open(out / "swatch_val.csv", "w", newline="") as vf:
        steps.write("step\tepoch\tce\n")
        val = csv.writer(vf)
        val.writerow(["epoch", "lr", "val_ce", "val_acc", "val_acc_rib"])
        for epoch in range(11):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 48):
                b = perm[i:i + 48]
                loss = F.cross_entropy(model(xtr[b]), ytr[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    steps.write(f"{step}\t{epoch}\t{loss.item():.5f}\n")
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = logit.argmax(1)
            row = [epoch, round(lr, 5), round(F.cross_entropy(logit, yva).item(), 5),
                   round((pred == yva).float().mean().item(), 4),
                   round((pred[yva == 2] == 2).float().mean().item(), 4)]
            val.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "sgd": opt.state_dict(), "milestones": [6, 9],
                "epoch": 11, "patterns": PATTERNS}, out / "swatch_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="swatch_cnn.pt", log="swatch_val.csv",
           what="2-D CNN with batch norm naming the stitch pattern of a knitted swatch photo"
                " (healthy)")


if __name__ == "__main__":
    main()
