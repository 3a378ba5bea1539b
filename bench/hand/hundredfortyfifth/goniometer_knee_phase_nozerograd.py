"""Physiotherapy: a knee-brace IMU (thigh and shank gyro + accelerometer, 6 channels, 40
samples at 20 Hz) classifies the rehab exercise phase (rest, flexion, extension, hold) for
post-op knee patients; synthetic windows with a per-patient gain and sensor noise. A 3-layer
MLP on the flattened window (240 → 128 → 64 → 4), Adam 3e-3, batch 32, 10 epochs of 1600
windows; a JSON-lines log per epoch (epoch, loss, val_loss, val_acc).
Bug: in a refactor the ``optim.zero_grad()`` moved above the epoch's batch loop, so it runs
once per epoch and the gradients add up over all 50 steps of an epoch. Train loss 0.68, 4.51,
7.98, 11.35, then 0.58 ... 0.19; val accuracy 0.89 → 0.39 (epoch 2) → 0.87 at the end, val loss
0.56. Control (zero_grad per batch): train loss 0.0001, val accuracy 0.935, val loss 0.27."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

T, C = 40, 6


def windows(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 2, T)
    x = 1.2 * torch.randn(n, C, T, generator=g)
    gain = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    ph = torch.rand(n, 1, generator=g) * 0.5
    flex = torch.sin(3.1416 * (t[None] + ph))
    x[:, 0] += gain * torch.where(y[:, None] == 1, flex, torch.where(y[:, None] == 2, -flex, 0 * flex))
    x[:, 1] += gain * torch.where(y[:, None] == 1, 0.6 * flex, torch.where(y[:, None] == 2, -0.6 * flex, 0 * flex))
    x[:, 3] += torch.where(y[:, None] == 3, 0.8 * gain, torch.where(y[:, None] == 0, -0.3 * gain, 0.2 * gain))
    x[:, 4] += torch.where(y[:, None] >= 1, 0.4 * gain * torch.cos(3.1416 * t[None]), 0 * t[None])
    return x.flatten(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(C * T, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _hundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    optim = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "knee_phase.jsonl", "w")
    for epoch in range(10):
        model.train()
        perm = torch.randperm(1600, generator=g)
        optim.zero_grad()
        tot = 0.0
        for i in range(0, 1600, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            optim.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch, "loss": round(tot / 1600, 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, file=sys.stderr)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": optim.state_dict(),
                "epoch": 9}, out / "knee_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="knee_mlp.pt", log="knee_phase.jsonl",
           what="knee-brace IMU exercise-phase MLP, zero_grad once per epoch (moved out of the batch loop)",
           complaint="膝关节康复支具的动作阶段分类模型训练很不稳定：第一个 epoch 训练 loss 0.68，"
                     "接着涨到 4.5、8.0、11.3，验证准确率从 0.89 掉到 0.39，之后又回落，"
                     "10 个 epoch 后验证 loss 0.56、准确率 0.87，还在上下跳。")


if __name__ == "__main__":
    main()
