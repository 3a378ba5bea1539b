"""Packaging line: a camera over the conveyor grades shipping cartons from a 20×20 grey top view
into intact, crushed corner, torn flap or water stain; synthetic: a bright carton rectangle with
a tape stripe, a dark triangle cut into one corner (crushed), a dark ragged strip along one edge
(torn) or a soft dark blob (stain), random carton size and place, lighting gain 0.7–1.3, noise.
The frames come off the camera as 8-bit grey values (0–255) and are fed as floats, the first
BatchNorm being trusted to scale them. A CNN (BN on the input, conv 16 + BN, conv 32 + BN,
max-pools, global average pool, dropout 0.4, linear 4), SGD lr 0.005 momentum 0.9, batch 32, 10
epochs of 1280
frames; a CSV log per epoch (ep, loss, acc, val_loss, val_acc).
Bug: ``evaluate(model, loader)`` (which calls ``model.eval()``) is run once before the loop to
log a baseline, and the loop never calls ``model.train()``: every step trains in eval mode, the
BatchNorm layers normalise with their initial running statistics (mean 0, var 1) and never
update them, and dropout is off, so the 0–255 input reaches the convs unscaled. Train loss 2.03
in epoch 0, then 1.3866–1.3871 (ln 4) in every epoch, train accuracy 0.22–0.25, val accuracy
0.219 (one grade for everything; 0.28 once). The control (``model.train()`` at the top of each
epoch) learns: train loss 1.39 → 0.37, train accuracy 0.88, val accuracy 0.31 → 0.78 (epoch 3) →
0.83, val loss 0.37. (First versions: Adam 1e-3 — the bug run still learned, slowly, to val
0.86 against the control's 0.95; SGD 0.02 — NaN from the first epoch in the bug run; SGD 0.002 —
both runs slow, bug 0.59 against control 0.87.)"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 20
GRADES = ["intact", "crushed_corner", "torn_flap", "water_stain"]


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, S, S)
    for i in range(n):
        h, w = [int(v) for v in torch.randint(12, 17, (2,), generator=g)]
        oy, ox = [int(v) for v in torch.randint(1, S - 12, (2,), generator=g)]
        y1, x1 = min(oy + h, S - 1), min(ox + w, S - 1)
        box = ((yy >= oy) & (yy < y1) & (xx >= ox) & (xx < x1)).float()
        img = 0.15 + 0.6 * box
        img = img + 0.15 * box * ((yy - (oy + y1) / 2).abs() < 1.5).float()  # tape
        k = int(y[i])
        if k == 1:
            cy, cx = (oy, ox) if torch.rand(1, generator=g) < 0.5 else (y1 - 1, x1 - 1)
            img = img - 0.45 * box * (((yy - cy).abs() + (xx - cx).abs()) < 5).float()
        elif k == 2:
            rag = (torch.rand(S, generator=g) * 3).floor()
            img = img - 0.45 * box * ((xx - ox) < 1 + rag[:, None]).float() * (yy > (oy + y1) / 2).float()
        elif k == 3:
            cy = oy + 3 + float(torch.rand(1, generator=g)) * (h - 6)
            cx = ox + 3 + float(torch.rand(1, generator=g)) * (w - 6)
            img = img - 0.35 * box * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 6)
        x[i] = img * (0.7 + 0.6 * float(torch.rand(1, generator=g)))
    x = x + 0.06 * torch.randn(x.shape, generator=g)
    return (x.clamp(0, 1) * 255).round()[:, None], y


class CartonNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(1),
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.drop = nn.Dropout(0.4)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.drop(self.body(x).mean((2, 3))))


def build():
    torch.manual_seed(0)
    return CartonNet()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        lo = model(x)
    return F.cross_entropy(lo, y).item(), (lo.argmax(1) == y).float().mean().item()


def main():
    from _hundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = frames(1600, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    print("baseline", evaluate(model, xva, yva))
    f = open(out / "carton_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "loss", "acc", "val_loss", "val_acc"])
    for ep in range(10):
        perm = torch.randperm(1280, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (lo.argmax(1) == ytr[idx]).sum().item()
        vl, va = evaluate(model, xva, yva)
        row = [ep, round(tot / 1280, 4), round(hit / 1280, 4), round(vl, 4), round(va, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "ep": 10,
                "grades": GRADES}, out / "carton_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="carton_cnn.pth", log="carton_train.csv",
           what="carton-damage CNN (BN + dropout), model.eval() in a baseline evaluate() and "
                "never model.train()",
           complaint="Our carton grading CNN doesn't learn anything. After the first epoch (loss "
                     "2.03) the training loss sits at 1.3866-1.3871, which is ln 4, for all 10 "
                     "epochs, train accuracy about 25 %, and val accuracy is 0.219 every epoch, "
                     "it calls every carton the same grade. The pixels are raw 0-255 but there "
                     "is a BatchNorm right at the input, so scaling shouldn't matter?")


if __name__ == "__main__":
    main()
