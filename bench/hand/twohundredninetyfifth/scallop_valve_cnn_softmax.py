"""Plain torch: a 1-D CNN reads the valve-gape sensor (a Hall probe glued across the hinge) of a
sea scallop in a hanging-culture trial and says what the animal is doing over a two-minute
window, sampled at 1 Hz: 0 feeding (valves open wide, a slow breathing drift and small
flutters), 1 swimming / escape (bursts of 3-6 fast claps, each a full close and reopen in
2-3 s), 2 coughing (isolated partial adductions every 10-30 s that clear the gills of silt,
gape otherwise lower than feeding), 3 closed (valves shut, only the odd brief crack open).
Gape amplitude differs between animals (probe placement, shell size), and the sensor drifts
and carries 0.05 of scatter, so the shape of the trace, not its level, tells the classes.
Input: (1, 120) gape scaled 0-1 by the trial's calibration. CNN without batch norm:
Conv1d 1→16 k7-ReLU-MaxPool2, 16→32 k5-ReLU-MaxPool2, 32→32 k5-ReLU, global average pool,
Linear 32→4; cross-entropy, SGD 0.05 momentum 0.9, batch 64, 10 epochs, 2400 windows,
validation on 600.
Bug: the classifier ends with ``nn.Softmax(dim=1)`` (``# class probabilities for the
dashboard``) and its output goes straight into ``F.cross_entropy``, which applies its own
log-softmax: the loss sees probabilities in [0, 1] as logits, cannot fall below
log(1 + 3/e) = 0.744, and its gradients are squashed. Control (the Softmax line removed,
one-line sed): train CE 1.10 → 0.0011, val CE 0.711 → 0.0017, val acc 0.62 → 1.0 from
epoch 5 on. With the bug: train CE 1.376 → 0.840, val CE 1.348 → 0.821, val acc 0.498 →
0.935 (stuck at 0.667 in epochs 2-3, no swimming window found), swimming found 0 → 0.94.
(Run on to 15 epochs, the buggy net gets to val acc 0.997 at a val CE of 0.748: the damage is
the slow climb and a loss pinned at its floor.)
Log: JSON lines per epoch ``valve_epochs.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_swim``); checkpoint ``valve_cnn.ckpt`` with keys ``net_state`` /
``opt`` / ``epoch`` / ``behaviours`` / ``fs_hz``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 120
BEHAVIOURS = ["feeding", "swimming", "coughing", "closed"]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float()
    y = torch.randint(0, 4, (n,), generator=g)
    amp = 0.5 + 0.4 * r(n, 1)
    gape = torch.zeros(n, N)
    for i in range(n):
        c = int(y[i])
        if c == 0:
            w = 0.85 + 0.08 * torch.sin(2 * torch.pi * t / (30 + 40 * r(1))) + 0.04 * torch.sin(
                2 * torch.pi * t / 7)
        elif c == 1:
            w = 0.8 + 0.05 * torch.sin(2 * torch.pi * t / 40)
            for _ in range(1 + int(2 * r(1))):
                s = int(r(1) * (N - 20))
                k = 3 + int(4 * r(1))
                for j in range(k):
                    p = s + 3 * j
                    if p + 2 < N:
                        w[p:p + 2] = 0.1
        elif c == 2:
            w = 0.6 + 0.05 * torch.sin(2 * torch.pi * t / 50)
            p = int(r(1) * 10)
            while p < N - 3:
                w[p:p + 3] = w[p:p + 3] * torch.tensor([0.6, 0.3, 0.7])
                p += 10 + int(20 * r(1))
        else:
            w = 0.05 + 0.0 * t
            for _ in range(int(3 * r(1))):
                p = int(r(1) * (N - 4))
                w[p:p + 4] = 0.3 + 0.3 * r(1)
        gape[i] = w
    drift = (r(n, 1) - 0.5) * 0.2 * t / N
    x = amp * gape + drift + 0.05 * torch.randn(n, N, generator=g)
    return x.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(),
        nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4),
        nn.Softmax(dim=1),  # class probabilities for the dashboard
    )


def main():
    from _twohundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(2400, g)
    xva, yva = windows(600, g)
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = open(out / "valve_epochs.jsonl", "w")
    for epoch in range(10):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            out_va = model(xva)
        pred = out_va.argmax(1)
        rec = {"epoch": epoch, "loss": round(tot / len(xtr), 5),
               "val_loss": round(F.cross_entropy(out_va, yva).item(), 5),
               "val_acc": round((pred == yva).float().mean().item(), 4),
               "val_acc_swim": round((pred[yva == 1] == 1).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net_state": model.state_dict(), "opt": opt.state_dict(), "epoch": 10,
                "behaviours": BEHAVIOURS, "fs_hz": 1.0}, out / "valve_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="valve_cnn.ckpt", log="valve_epochs.jsonl",
           what="1-D CNN sorting scallop valve-gape traces into four behaviours; the net ends"
                " in Softmax and its output is fed to cross_entropy",
           complaint="我们用一维卷积网络识别扇贝的开合行为（摄食、游动、咳嗽、闭壳）。训练很慢，"
                     "损失从 1.37 只降到 0.84 左右，比我们别的模型高得多；"
                     "验证准确率要到第十轮才到 0.93，前几轮一直认不出游动。"
                     "扇贝的数据不是很难，为什么损失一直这么高、学得这么慢？")


if __name__ == "__main__":
    main()
