"""1-D CNN on single-lead ECG-like strips (256 samples at 64 Hz): 4 rhythm classes, normal,
bradycardia (slow beats), left-ventricular hypertrophy (tall R waves) and low-voltage (small
R waves), with baseline wander and noise. Conv1d 1-16-32-32 (kernel 7, BatchNorm, ReLU,
max-pool), global average pool, linear 32-4. Cross-entropy, Adam 1e-3, 3 epochs over 600
strips, a CSV per epoch. Bug: ``batch_size=1`` (the real strips were long and the author
dropped the batch to fit memory, then never went back): every BatchNorm normalises one strip
over time in training, so the R-wave height is normalised away; the running statistics used
by ``eval()`` do not match what was trained on. Train acc 0.99, train loss 0.38, while the val
loss rises 1.18 -> 1.27 and the val acc stays at 0.69 (batch 32, same epochs: val loss 1.28 ->
0.65 and falling, val acc 0.78)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LEN, FS = 256, 64


def strips(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(LEN) / FS
    x = torch.zeros(n, LEN)
    for i in range(n):
        rate = 1.3 if y[i] != 1 else 0.75  # beats per second
        rate = rate * (1 + 0.1 * float(torch.randn(1, generator=g)))
        amp = {0: 1.0, 1: 1.0, 2: 2.2, 3: 0.4}[int(y[i])] * (1 + 0.1 * float(torch.randn(
            1, generator=g)))
        phase = float(torch.rand(1, generator=g))
        beat = (t * rate + phase) % 1.0
        x[i] = amp * torch.exp(-((beat - 0.5) ** 2) / 0.0015) \
            - 0.15 * amp * torch.exp(-((beat - 0.56) ** 2) / 0.002) \
            + 0.2 * torch.exp(-((beat - 0.8) ** 2) / 0.008)
        x[i] += 0.3 * torch.sin(2 * math.pi * 0.2 * t + 6 * phase)  # baseline wander
    x += 0.05 * torch.randn(n, LEN, generator=g)
    return x.unsqueeze(1), y


class ECGNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [], 1
        for width in (16, 32, 32):
            layers += [nn.Conv1d(c, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(),
                       nn.MaxPool1d(2)]
            c = width
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return ECGNet()


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = strips(800, g)
    tx, ty, vx, vy = x[:600], y[:600], x[600:], y[600:]
    batch_size = 1  # BUG: kept from when the strips did not fit in memory
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "ecg_train.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(3):
        model.train()
        tot, correct = 0.0, 0
        for idx in torch.randperm(600, generator=g).split(batch_size):
            logits = model(tx[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            correct += (logits.argmax(1) == ty[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = F.cross_entropy(logits, vy).item()
            va = (logits.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, round(tot / 600, 4), round(correct / 600, 4), round(vl, 4),
                    round(va, 4)])
        print(epoch, round(tot / 600, 4), round(correct / 600, 4), round(vl, 4), round(va, 4))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch, "batch_size": batch_size}, out / "ecg_cnn.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["bn_small_batch"],
           checkpoint="ecg_cnn.pt", log="ecg_train.csv",
           what="1-D ECG CNN with BatchNorm trained at batch size 1",
           complaint="我的心电图分类模型训练准确率接近 100%，但是验证集上的准确率一直停在七成左右，"
                     "验证 loss 比训练 loss 高很多，而且还在往上走")


if __name__ == "__main__":
    main()
