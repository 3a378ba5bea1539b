"""Transfer learning, the "freeze the backbone, train a new head" recipe: a small CNN is
first trained on meter digits 0-5 (its "pretraining", done here so nothing is downloaded),
then the conv body is frozen (``requires_grad_(False)``, ``body.eval()``), a new head for
the four digits 6-9 is attached and only the head is optimised (SGD + momentum, cosine).
Only the fine-tune stage is logged and checkpointed, as a user would hand it over; its
frozen body is intended and the head reaches val acc ~0.97 (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SEGMENTS = {0: "abcdef", 1: "bc", 2: "abged", 3: "abgcd", 4: "fgbc", 5: "afgcd", 6: "afgedc",
            7: "abc", 8: "abcdefg", 9: "abcdfg"}
BOXES = {"a": (2, 3, 5, 11), "b": (2, 8, 10, 11), "c": (8, 14, 10, 11), "d": (13, 14, 5, 11),
         "e": (8, 14, 4, 6), "f": (2, 8, 4, 6), "g": (7, 9, 5, 11)}


def digits(labels, g):
    n = len(labels)
    img = torch.zeros(n, 1, 16, 16)
    for i in range(n):
        for s in SEGMENTS[int(labels[i])]:
            r0, r1, c0, c1 = BOXES[s]
            img[i, 0, r0:r1 + 1, c0:c1 + 1] = 1.0
    shift = torch.randint(-2, 3, (n, 2), generator=g)
    img = torch.stack([torch.roll(img[i], tuple(shift[i].tolist()), (1, 2)) for i in range(n)])
    return (img + 0.3 * torch.randn(n, 1, 16, 16, generator=g) - 0.3) / 0.6


class DigitNet(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(2), nn.Flatten())
        self.head = nn.Linear(256, classes)

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return DigitNet(4)


def fit(model, params, x, y, epochs, opt, sched=None, log=None, val=None):
    for epoch in range(epochs):
        model.head.train()
        perm = torch.randperm(len(x))
        tot = 0.0
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        if sched:
            sched.step()
        if log:
            model.eval()
            with torch.no_grad():
                vout = model(val[0])
            log.writerow([epoch, tot / len(x), F.cross_entropy(vout, val[1]).item(),
                          (vout.argmax(1) == val[1]).float().mean().item()])


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    ya = torch.randint(0, 6, (2400,), generator=g)
    pre = DigitNet(6)
    fit(pre, pre.parameters(), digits(ya, g), ya, 4, torch.optim.Adam(pre.parameters(), 2e-3))
    model = build()
    model.body.load_state_dict(pre.body.state_dict())
    model.body.requires_grad_(False)
    model.body.eval()
    yb, vyb = torch.randint(0, 4, (600,), generator=g), torch.randint(0, 4, (400,), generator=g)
    x, vx = digits(yb + 6, g), digits(vyb + 6, g)
    opt = torch.optim.SGD(model.head.parameters(), lr=0.005, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
    with open(out / "finetune_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
        fit(model, model.head.parameters(), x, yb, 8, opt, sched, w, (vx, vyb))
    torch.save({"epoch": 8, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "finetuned_head.pt")
    print(open(out / "finetune_log.csv").read().splitlines()[-1])
    finish(out, __file__, (vx[:128], vyb[:128]), causes=[], checkpoint="finetuned_head.pt",
           log="finetune_log.csv",
           what="frozen pretrained body + new head, head-only optimizer: healthy")


if __name__ == "__main__":
    main()
