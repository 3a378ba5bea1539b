"""Plain torch: a small 2-D CNN (no batch norm) reads a 16×16 colour patch cropped from the
flank of a captive veiled chameleon (photos taken by the enclosure camera every 10 min) and
names its colour state, so the keeper can see stress before the animal stops feeding.
3 classes: calm (0, even green with a soft mottle), stressed (1, dark brown-black vertical
bands over a darker ground), display (2, bright yellow-orange spots on a lifted green).
Each photo has its own white balance, exposure and sensor noise, and the bands / spots sit
at random phases. Input: (3, 16, 16) RGB in 0-1, minus 0.5.
Model: conv 3→16 (k 3) + ReLU + max-pool 2, conv 16→32 (k 3) + ReLU + max-pool 2, conv
32→32 (k 3) + ReLU, global average pool → linear 3; cross entropy, SGD 0.03 momentum 0.9,
batch 40, 8 epochs over 1200 patches, validation on 400.
The bug: ``StepLR(opt, step_size=3, gamma=0.3)  # cut the rate every 3 epochs`` is
stepped after every optimizer step (the loop calls ``sched.step()`` next to
``opt.step()``), so the rate is cut by 0.3 every 3 batches: it is below 1e-4 after the
first 15 steps of 30 in epoch 0. The rate is 1.8e-7 at the end of epoch 0 and 4e-44 at
the end; train CE 1.0999 → 1.0996, val CE 1.0994 in every epoch, val acc 0.3025 (every patch
called stressed) (control, ``step_size=3 * STEPS_PER_EPOCH``: rate 0.03 → 0.0027, train CE
1.098 → 0.336, val CE 1.101 → 0.305, val acc 0.30 → 0.885).
Log: CSV per epoch ``skin_state.csv`` (``epoch`` / ``lr`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_recall_stressed``); checkpoint ``skin_cnn.pt`` with keys ``weights`` /
``optim`` / ``scheduler`` / ``epoch`` / ``states``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16
STATES = ["calm", "stressed", "display"]
BATCH = 40
STEPS_PER_EPOCH = 1200 // BATCH


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 3, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    green = torch.tensor([0.35, 0.65, 0.3]).view(1, 3, 1, 1)
    mottle = 0.06 * torch.sin(xx / 3 + 6 * r(n, 1, 1, 1)) * torch.cos(yy / 4 + 6 * r(n, 1, 1, 1))
    img = green + mottle + 0.03 * torch.randn(n, 3, S, S, generator=g)
    period = 4 + 3 * r(n, 1, 1, 1)
    band = (torch.sin(2 * math.pi * xx / period + 6 * r(n, 1, 1, 1)) > 0.2).float()
    dark = torch.tensor([0.22, 0.16, 0.1]).view(1, 3, 1, 1)
    stressed = 0.6 * img + 0.4 * dark + band * (torch.tensor([0.1, 0.08, 0.05]).view(1, 3, 1, 1) - 0.25 * img)
    cy, cx = S * r(n, 3, 1, 1), S * r(n, 3, 1, 1)
    spots = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 4).amax(1, keepdim=True)
    display = img + 0.15 + spots * (torch.tensor([0.95, 0.7, 0.15]).view(1, 3, 1, 1) - img)
    img = torch.stack([img, stressed, display], 1)[torch.arange(n), y]
    wb = 0.8 + 0.4 * r(n, 3, 1, 1)
    expo = 0.7 + 0.6 * r(n, 1, 1, 1)
    img = (img * wb * expo + 0.05 * torch.randn(n, 3, S, S, generator=g)).clamp(0, 1)
    return img - 0.5, y


class SkinCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.classifier = nn.Linear(32, 3)

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return SkinCNN()


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1200, g)
    xva, yva = patches(400, g)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.3)  # cut the rate every 3 epochs
    with open(out / "skin_state.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr", "train_ce", "val_ce", "val_acc", "val_recall_stressed"])
        for epoch in range(8):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), BATCH):
                idx = perm[i:i + BATCH]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = logit.argmax(1)
            row = [epoch, opt.param_groups[0]["lr"], tot / len(xtr), F.cross_entropy(logit, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 1] == 1).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row[1:]])
            print(row)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 8, "states": STATES}, out / "skin_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="skin_cnn.pt", log="skin_state.csv",
           what="2-D CNN naming a veiled chameleon's colour state (calm / stressed / display)"
                " from a flank patch; StepLR meant per epoch, stepped per batch",
           complaint="The chameleon colour-state CNN does not learn anything: the training loss"
                     " sits at 1.0996 from the first epoch to the last, the validation loss"
                     " does not move at all, and every validation patch comes out as 'stressed'"
                     " (30 % accuracy). The bands and spots are obvious by eye and the labels"
                     " are right.")


if __name__ == "__main__":
    main()
