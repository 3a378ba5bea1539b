"""Keyword spotting on 32x32 mel-spectrogram patches (4 words: formant tracks rising, falling,
flat-high and split, at a random time offset) with a MobileNet-style depthwise-separable CNN: a
3x3 stem conv, three blocks of depthwise 3x3 + pointwise 1x1 conv (BatchNorm and ReLU6 after
each, stride 2 in two), global average pool, linear. SGD lr 0.05, momentum 0.9, weight decay
1e-4, batch 32, 8 epochs. The clips are 20-32 frames long and zero-padded to 32 frames with
digital silence (power exactly 0). Bug: the features are ``torch.log(power)`` with no epsilon
(the usual ``log(power + 1e-6)``): the padded frames become -inf, and the first batch's loss is
NaN, and so is every weight after the first step; val accuracy 0.24 (``log(power + 1e-6)``:
0.9975)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def mel_power(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = 0.5 * torch.randn(n, 1, 32, 32, generator=g)
    t = torch.arange(14, dtype=torch.float)
    frames = torch.randint(20, 33, (n,), generator=g)
    for i in range(n):
        s = int(torch.randint(0, int(frames[i]) - 13, (1,), generator=g))
        k = int(y[i])
        if k == 0:
            f = 6 + t * 1.2
        elif k == 1:
            f = 24 - t * 1.2
        elif k == 2:
            f = torch.full_like(t, 22.0)
        else:
            f = torch.full_like(t, 8.0)
        rows = f.round().long().clamp(0, 31)
        x[i, 0, rows, s + t.long()] += 1.5
        if k == 3:
            x[i, 0, (rows + 14).clamp(max=31), s + t.long()] += 1.5
    power = torch.exp(2 * x)
    power = power * (torch.arange(32) < frames[:, None, None, None])  # zero-padded silence
    return power, y


def dw_block(c_in, c_out, stride):
    return nn.Sequential(
        nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False), nn.BatchNorm2d(c_in),
        nn.ReLU6(), nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU6())


class DSCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU6())
        self.blocks = nn.Sequential(dw_block(16, 32, 2), dw_block(32, 32, 1), dw_block(32, 64, 2))
        self.fc = nn.Linear(64, 4)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return DSCNN()


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    power, y = mel_power(1600, g)
    vpower, vy = mel_power(400, g)
    x, vx = torch.log(power), torch.log(vpower)  # BUG: log(0) on the padded frames
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    with open(out / "kws_metrics.csv", "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
        for epoch in range(8):
            model.train()
            tot = 0.0
            for idx in torch.randperm(len(x), generator=g).split(32):
                loss = F.cross_entropy(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                o = model(vx)
            row = [epoch, tot / len(x), F.cross_entropy(o, vy).item(),
                   (o.argmax(1) == vy).float().mean().item()]
            wr.writerow(row)
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "dscnn_kws.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["numerical_log_or_div_zero"],
           checkpoint="dscnn_kws.pth", log="kws_metrics.csv",
           what="depthwise-separable CNN on log-mel features, log(0) on zero-padded frames",
           complaint="keyword CNN: train and val loss are nan from the very first epoch and "
                     "accuracy is 0.24 (4 words), every epoch the same")


if __name__ == "__main__":
    main()
