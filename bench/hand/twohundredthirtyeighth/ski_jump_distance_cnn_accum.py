"""Plain torch: a 1-D CNN predicts a ski jump's distance (centred metres / 10) from the in-run
speed and a ramp-pressure trace (2 channels × 64 samples). Distance grows with takeoff speed
and the timing of the pressure peak. Conv1d(2,16,5)-ReLU-Conv1d(16,16,5)-ReLU-pool-Linear;
SGD momentum 0.9 lr 0.05, micro-batch 16, 8 micro-batches accumulated per step, 6 epochs of 1024.
Checkpoint ``{"state_dict", "optimizer", "epoch", "step"}``, CSV per epoch.
The bug: ``loss.backward()`` on each micro-batch loss without ``/ ACCUM``: the summed gradient
is 8× the mean one. Val MSE 0.91 after epoch 1,
48506 after epoch 2, NaN from epoch 3. Control (``loss = loss / ACCUM``): val MSE 0.019 at
epoch 6."""
import csv
import sys

import torch
import torch.nn as nn

ACCUM = 8


def jumps(n, g):
    t = torch.linspace(0, 1, 64)
    v0 = torch.randn(n, 1, generator=g)
    peak = 0.6 + 0.2 * torch.rand(n, 1, generator=g)
    speed = v0 * t + 0.1 * torch.randn(n, 64, generator=g)
    press = torch.exp(-((t - peak) / 0.05) ** 2) + 0.1 * torch.randn(n, 64, generator=g)
    d = 0.8 * v0[:, 0] - 3.0 * (peak[:, 0] - 0.7) ** 2 * 10 + 0.1 * torch.randn(n, generator=g)
    return torch.stack([speed, press], 1), d.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.ReLU(),
                         nn.Conv1d(16, 16, 5, padding=2), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(8), nn.Flatten(), nn.Linear(128, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = jumps(1024, g)
    xva, yva = jumps(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rows, step = [], 0
    for epoch in range(6):
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        opt.zero_grad()
        for k, i in enumerate(range(0, 1024, 16)):
            idx = perm[i:i + 16]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            loss.backward()
            tot += loss.item() / 64
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
        with torch.no_grad():
            v = nn.functional.mse_loss(model(xva), yva).item()
        rows.append({"epoch": epoch + 1, "train_mse": round(tot, 4), "val_mse": round(v, 4)})
        print(rows[-1])
    with open(out / "distance.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 6,
                "step": step}, out / "distance_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="distance_cnn.pt", log="distance.csv",
           what="1-D CNN predicting ski jump distance from in-run traces, accumulated gradients",
           complaint="跳台滑雪距离预测：第一个 epoch 损失就炸了，之后训练和验证 MSE 全是 NaN。"
                     "学习率 0.05、动量 0.9 是以前一直用的设置，为了省内存把 batch 拆成了小块。怎么回事？")


if __name__ == "__main__":
    main()
