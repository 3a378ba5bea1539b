"""Fisheries acoustics: a small CNN classifies 32×32 echogram patches (depth × ping, Sv in dB
scaled to about 0–1) from a synthetic 38 kHz echosounder into 5 classes: empty water, a fish
school (an elliptic blob), a plankton scattering layer (a diffuse horizontal band), the seabed
(a hard bottom line with its fading tail) and a school sitting on the bottom; speckle noise,
a random gain per ping and a time-varied-gain ramp with depth. Three 3×3 convolutions (8, 16,
32 channels) with ReLU and max-pooling, average-pooled to 4×4, flattened, a linear head. Adam 2e-3, batch
64, 10 epochs of 2000 patches; a CSV log per epoch (epoch, loss, train_acc, val_loss, val_acc).
Bug: the author copied "dropout against overfitting" from an MLP recipe and put
``nn.Dropout2d(0.5)`` after every convolution of this small network (whole feature maps
dropped). The net underfits: train accuracy (measured in train mode) stays low, val
accuracy lags far behind the control (the same script without the conv dropouts): train loss
1.55 → 0.55, train accuracy 0.27 → 0.75, val accuracy 0.70, 0.45, 0.58, 0.69, 0.69, 0.77, 0.79,
0.75, 0.81, 0.76 (val loss 0.47). The control (``P_CONV = 0.0``) reaches train accuracy 0.97,
train loss 0.12, val accuracy 0.97, val loss 0.11."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32
CLASSES = ["empty", "school", "layer", "seabed", "bottom_school"]
P_CONV = 0.5


def patches(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    d = torch.arange(S).float()[:, None].expand(S, S)  # depth index
    p = torch.arange(S).float()[None, :].expand(S, S)  # ping index
    x = torch.zeros(n, S, S)
    for i in range(n):
        r = torch.rand(6, generator=g)
        k = int(y[i])
        img = torch.zeros(S, S)
        if k in (3, 4):
            bd = 18 + 10 * r[0] + 2 * torch.sin(p / (3 + 4 * r[1]))
            img = img + 0.9 * torch.exp(-((d - bd) / 1.0) ** 2) + 0.4 * (d > bd).float() * torch.exp(-(d - bd).clamp(min=0) / 4)
        if k in (1, 4):
            cd = (6 + 12 * r[2]) if k == 1 else None
            if k == 4:
                cd = float(bd.mean()) - 3 - 2 * r[2]
            cp = 6 + 20 * r[3]
            img = img + 0.6 * torch.exp(-((d - cd) / (1.5 + r[4])) ** 2 - ((p - cp) / (3 + 3 * r[5])) ** 2)
        if k == 2:
            ld = 5 + 15 * r[2]
            img = img + 0.35 * torch.exp(-((d - ld) / (2 + 2 * r[4])) ** 2) * (0.7 + 0.3 * torch.rand(S, S, generator=g))
        gain = 0.8 + 0.4 * torch.rand(1, S, generator=g)
        x[i] = img * gain + 0.02 * d + 0.12 * torch.rand(S, S, generator=g)
    return x[:, None], y


class EchoCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Dropout2d(P_CONV), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Dropout2d(P_CONV), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Dropout2d(P_CONV))
        self.head = nn.Linear(32 * 4 * 4, 5)

    def forward(self, x):
        return self.head(F.adaptive_avg_pool2d(self.features(x), 4).flatten(1))


def build():
    torch.manual_seed(0)
    return EchoCNN()


def main():
    from _hundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patches(2600, g)
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "echo_train.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(10):
        model.train()
        perm = torch.randperm(2000, generator=g)
        tot = cor = 0.0
        for i in range(0, 2000, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            cor += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(tot / 2000, 4), round(cor / 2000, 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 10,
                "classes": CLASSES}, out / "echocnn_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="echocnn_last.pt", log="echo_train.csv",
           what="echogram patch CNN with Dropout2d(0.5) after every convolution, underfits",
           complaint="My echogram classifier (5 classes: empty, school, plankton layer, seabed, "
                     "school on the bottom) does not learn well: after 10 epochs the training "
                     "accuracy is only 0.75 with loss 0.55, validation accuracy 0.76. It is a small "
                     "CNN on 32x32 patches, it should fit this much better. More epochs only creep up.")


if __name__ == "__main__":
    main()
