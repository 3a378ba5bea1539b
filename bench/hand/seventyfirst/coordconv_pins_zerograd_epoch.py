"""CoordConv keypoint regression (Liu et al. 2018: two constant channels with the normalised x
and y coordinates are concatenated to the input of every conv, so the net can map "where" to a
number). Task: 32×32 grey photos of a circuit board with one bright connector pin among 3–6
dimmer square pads and noise; regress the pin's (x, y) in [-1, 1]. Three CoordConv layers
(16, 32, 32 channels, the last two with stride 2), a 1×1 conv to an 8×8 heat map and a
spatial soft-argmax (the expected (y, x) under its softmax). Adam 2e-3, batch 32, 8 epochs of 1024
images; a CSV per epoch with the train / val MSE and the val mean pixel error.

The bug: ``optimizer.zero_grad()`` sits above the batch loop (once per epoch: "clear the
gradients at the start of each epoch"), so ``.grad`` accumulates every batch's gradient for
the whole epoch and Adam steps along the running sum of the epoch's gradients. Control
(``zero_grad()`` back inside the loop, nothing else changed): train MSE 0.0012, val MSE
0.0017, val error 0.75 px after 8 epochs. Bug run: train MSE 0.208 → 0.037 → 0.121 → 0.050 over
the first 4 epochs (val 0.047 → 0.146 → 0.224 → 0.020), then a slow crawl to train 0.017, val
0.0154, val error 2.45 px (9× the control's MSE)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32


def boards(n, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    x = 0.1 * torch.randn(n, 1, SIZE, SIZE, generator=g)
    pos = 3 + torch.rand(n, 2, generator=g) * (SIZE - 6)
    for i in range(n):
        for _ in range(int(torch.randint(3, 7, (1,), generator=g))):
            c = 2 + torch.rand(2, generator=g) * (SIZE - 4)
            x[i, 0] += 0.3 * (((yy - c[0]).abs() < 1.5) & ((xx - c[1]).abs() < 1.5)).float()
        x[i, 0] += 1.5 * torch.exp(-((yy - pos[i, 0]) ** 2 + (xx - pos[i, 1]) ** 2) / 4.0)
    return x, pos / (SIZE - 1) * 2 - 1


class CoordConv(nn.Conv2d):
    def forward(self, x):
        b, _, h, w = x.shape
        ys = torch.linspace(-1, 1, h).view(1, 1, h, 1).expand(b, 1, h, w)
        xs = torch.linspace(-1, 1, w).view(1, 1, 1, w).expand(b, 1, h, w)
        return super().forward(torch.cat([x, ys, xs], 1))


class PinLocator(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = CoordConv(1 + 2, 16, 3, padding=1)
        self.c2 = CoordConv(16 + 2, 32, 3, stride=2, padding=1)
        self.c3 = CoordConv(32 + 2, 32, 3, stride=2, padding=1)
        self.heat = nn.Conv2d(32, 1, 1)

    def forward(self, x):
        h = F.relu(self.c3(F.relu(self.c2(F.relu(self.c1(x))))))
        prob = self.heat(h).flatten(1).softmax(1).view(-1, 1, 8, 8)  # spatial soft-argmax
        grid = torch.linspace(-1, 1, 8)
        return torch.stack([(prob.sum(3)[:, 0] * grid).sum(1), (prob.sum(2)[:, 0] * grid).sum(1)], 1)  # noqa: E501


def build():
    torch.manual_seed(0)
    return PinLocator()


def main():
    from _seventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = boards(1280, g)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "pins.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train MSE", "Val MSE", "Val px error"])
    for epoch in range(8):
        model.train()
        optimizer.zero_grad()  # clear the gradients at the start of each epoch
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vmse = F.mse_loss(p, yva).item()
            px = ((p - yva) * (SIZE - 1) / 2).norm(dim=1).mean().item()
        row = [epoch + 1, round(tot / len(xtr), 5), round(vmse, 5), round(px, 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
                "epoch": 8}, out / "pin_locator_e8.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="pin_locator_e8.pth", log="pins.csv",
           what="CoordConv pin locator whose zero_grad() runs once per epoch",
           complaint="The pin locator is still about 2.5 pixels off on validation boards after "
                     "8 epochs, and in the first epochs the training MSE jumped up and down "
                     "instead of going down steadily. The pins are bright and easy to see.")


if __name__ == "__main__":
    main()
