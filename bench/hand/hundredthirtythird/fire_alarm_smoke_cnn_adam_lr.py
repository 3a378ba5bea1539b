"""Multi-sensor fire alarm heads (building fire protection): classify a 64-sample alarm window
(1 Hz) from 4 standardised channels (photoelectric obscuration, ionisation chamber, CO ppm,
heat) into 0 cooking / steam nuisance, 1 smouldering fire, 2 flaming fire, 3 dust / insect.
Each class has its own shape: smouldering = slow obscuration rise with CO and no heat,
flaming = fast ion + heat rise, steam = photo bump that decays, no CO, dust = short spikes.
A small 1-D CNN (3 conv layers 32–64 channels, global average pool, linear head), Adam,
batch 64, 15 epochs. Bug: the engineer took lr 0.1 from an SGD recipe and kept it for Adam (lr 0.3 from the "fast" SGD recipe)
→ lr_too_high.
Run: epoch-1 mean train loss 155, then 0.57–1.44 jumping (1.44 at epoch 15, ln 4 = 1.39), val
acc 0.51, 0.65, 0.70, … 0.74 (epoch 11), 0.40 at epoch 15, val loss 0.74–1.33.
Control (Adam lr 1e-3): val acc 0.79 → 0.95 (epoch 3) → 0.99, val loss 0.029, train 0.026."""
import sys

import torch
import torch.nn.functional as F
from torch import nn

T = 64


def windows(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    x = 0.6 * torch.randn(n, 4, T, generator=g)
    onset = 0.1 + 0.4 * torch.rand(n, generator=g)
    amp = 0.4 + 0.6 * torch.rand(n, generator=g)
    for i in range(n):
        r = (t - onset[i]).clamp(min=0)
        a = amp[i]
        c = int(y[i])
        if c == 0:    # steam: photo bump that decays
            x[i, 0] += a * 2 * (r * 6) * torch.exp(-r * 6) * 2.7
        elif c == 1:  # smouldering: slow photo rise, CO rise
            x[i, 0] += a * 1.5 * r / (1 - onset[i])
            x[i, 2] += a * 1.2 * r / (1 - onset[i])
        elif c == 2:  # flaming: fast ion + heat
            x[i, 1] += a * 2 * (1 - torch.exp(-r * 12))
            x[i, 3] += a * 1.5 * (1 - torch.exp(-r * 6))
        else:         # dust: short photo spikes
            k = torch.randint(0, T, (4,), generator=g)
            x[i, 0, k] += 2.5 * a
    return x, y


class AlarmNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(4, 32, 5, padding=2)
        self.c2 = nn.Conv1d(32, 64, 5, padding=2)
        self.c3 = nn.Conv1d(64, 64, 3, padding=1)
        self.fc = nn.Linear(64, 4)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.c1(x)), 2)
        x = F.max_pool1d(F.relu(self.c2(x)), 2)
        x = F.relu(self.c3(x)).mean(-1)
        return self.fc(x)


def build():
    torch.manual_seed(0)
    return AlarmNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1536, g)
    xva, yva = windows(384, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.3)
    f = open(out / "alarm_metrics.csv", "w")
    f.write("Epoch,Train Loss,Val Loss,Val Acc\n")
    for ep in range(1, 16):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            o = model(xva)
            vl = F.cross_entropy(o, yva).item()
            va = (o.argmax(1) == yva).float().mean().item()
        f.write(f"{ep},{tot / len(xtr):.4f},{vl:.4f},{va:.4f}\n")
        print(ep, round(tot / len(xtr), 4), round(vl, 4), round(va, 4))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "classes": ["steam", "smouldering", "flaming", "dust"]}, out / "alarm_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="alarm_cnn.ckpt", log="alarm_metrics.csv",
           what="1-D CNN for multi-sensor fire alarm windows, Adam at lr 0.1",
           complaint="火灾报警器的多传感器分类模型训练得很不稳定：第一个 epoch 的平均训练损失是 155，"
                     "之后一直在 0.57 到 1.44 之间来回跳，验证准确率在 0.40 到 0.74 之间乱跳，"
                     "最后一个 epoch 反而掉到 0.40，验证损失 1.33。用的是 Adam，训练了 15 个 epoch，"
                     "为什么越训越差？")


if __name__ == "__main__":
    main()
