"""Reading digits off utility-meter photos: 16x16 crops of seven-segment digits (0-9) with
shifts, blur-ish noise and uneven brightness, a small ResNet (stem + 3 residual blocks with
BatchNorm). RMSprop lr 1e-3 with ``weight_decay=0.5`` (bug: the value was copied from an
AdamW config's "decay 0.5 per ..." note; in RMSprop it is an L2 term added to the gradient,
which then dominates: the weights are pulled to zero every step; train acc 0.61 and val
acc 0.12-0.43 after 6 epochs, where the same script without the decay gets 0.91)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SEGMENTS = {0: "abcdef", 1: "bc", 2: "abged", 3: "abgcd", 4: "fgbc", 5: "afgcd", 6: "afgedc",
            7: "abc", 8: "abcdefg", 9: "abcdfg"}
BOXES = {"a": (2, 3, 5, 11), "b": (2, 8, 10, 11), "c": (8, 14, 10, 11), "d": (13, 14, 5, 11),
         "e": (8, 14, 4, 6), "f": (2, 8, 4, 6), "g": (7, 9, 5, 11)}


def meter_digits(n, g):
    y = torch.randint(0, 10, (n,), generator=g)
    img = torch.zeros(n, 1, 16, 16)
    for i in range(n):
        for s in SEGMENTS[int(y[i])]:
            r0, r1, c0, c1 = BOXES[s]
            img[i, 0, r0:r1 + 1, c0:c1 + 1] = 1.0
    shift = torch.randint(-2, 3, (n, 2), generator=g)
    img = torch.stack([torch.roll(img[i], tuple(shift[i].tolist()), (1, 2)) for i in range(n)])
    light = 0.5 + torch.rand(n, 1, 1, 1, generator=g)
    img = img * light + 0.35 * torch.randn(n, 1, 16, 16, generator=g)
    return (img - 0.3) / 0.6, y


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.c2, self.b2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.b2(self.c2(F.relu(self.b1(self.c1(x))))))


class MeterResNet(nn.Module):
    def __init__(self, c=24):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, padding=1, bias=False),
                                  nn.BatchNorm2d(c), nn.ReLU())
        self.blocks = nn.Sequential(Block(c), nn.MaxPool2d(2), Block(c), Block(c))
        self.fc = nn.Linear(c, 10)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return MeterResNet()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = meter_digits(2000, g), meter_digits(500, g)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, weight_decay=0.5)  # BUG
    with open(out / "meter_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(6):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot, correct = 0.0, 0
            for i in range(0, len(x), 64):
                idx = perm[i:i + 64]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                correct += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([epoch, tot / len(x), correct / len(x), vloss, vacc])
    print("train", tot / len(x), "val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "meter_resnet.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["over_regularization"],
           checkpoint="meter_resnet.pt", log="meter_log.csv",
           what="RMSprop(weight_decay=0.5): L2 term swamps the gradient",
           complaint="train acc only 60% and val acc jumps between 12% and 43% every epoch")


if __name__ == "__main__":
    main()
