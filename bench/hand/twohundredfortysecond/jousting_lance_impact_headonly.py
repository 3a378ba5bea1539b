"""Plain torch: a 1-D CNN names what a jousting lance hit from the 3-axis accelerometer in the
lance tip (64 samples around the strike): clean break (a sharp spike then a ringing decay),
glancing blow (a smaller, drawn-out bump with a sideways component), shield strike without a
break (a spike, no ring, a rebound) or a miss (only the horse's gallop rhythm). Every trace
also carries the gallop (a 3-4 Hz sway at a random phase) and sensor noise; the strike sits at
a random position. Conv1d(3→16, 7)-ReLU-Conv1d(16→32, 5)-ReLU-pool-Conv1d(32→32, 3)-ReLU,
global average + max pool, Linear(64→4); Adam 2e-3, batch 32, 12 epochs of 768 traces.
The bug: the optimizer is built from ``model.classifier.parameters()`` (a line kept from an
earlier fine-tuning script), so the three conv layers stay at their random initialisation and
only the last Linear learns.
Bug run: epoch 1 train loss 1.3862, val acc 0.3047; epoch 12 train loss 1.3195, val loss
1.3119, val acc 0.6484 (val acc jumps 0.48–0.64 in the last epochs).
Control (``model.parameters()``): epoch 1 train loss 1.2954, val acc 0.5156; epoch 12 train
loss 0.0013, val loss 0.0062, val acc 0.9961."""
import json
import math
import sys

import torch
import torch.nn as nn


def traces(n, g):
    t = torch.arange(64).float()
    y = torch.randint(0, 4, (n,), generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    freq = 0.045 + 0.015 * torch.rand(n, 1, generator=g)
    x = torch.zeros(n, 3, 64)
    x[:, 2] = 0.6 * torch.sin(2 * math.pi * freq * t + phase)
    x[:, 0] = 0.3 * torch.cos(2 * math.pi * freq * t + phase)
    at = torch.randint(10, 44, (n,), generator=g)
    for i in range(n):
        d = (t - at[i]).clamp(min=0)
        on = (t >= at[i]).float()
        amp = 1.5 + float(torch.rand(1, generator=g))
        if y[i] == 0:    # clean break: spike and ringing
            x[i, 0] += amp * on * torch.exp(-d / 6) * torch.cos(1.8 * d)
        elif y[i] == 1:  # glancing: broad bump, sideways
            b = torch.exp(-((t - at[i]) / 5) ** 2)
            x[i, 0] += 0.7 * amp * b
            x[i, 1] += 0.8 * amp * b
        elif y[i] == 2:  # shield strike, no break: spike, rebound, no ring
            x[i, 0] += amp * on * (torch.exp(-d / 2) - 0.5 * torch.exp(-((d - 6) / 3) ** 2))
    x = x + 0.25 * torch.randn(x.shape, generator=g)
    return x, y


class LanceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(3, 16, 7, padding=3), nn.ReLU(),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.classifier = nn.Linear(64, 4)

    def forward(self, x):
        f = self.features(x)
        return self.classifier(torch.cat([f.mean(2), f.amax(2)], 1))


def build():
    torch.manual_seed(0)
    return LanceNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(768, g)
    xva, yva = traces(256, g)
    model = build()
    opt = torch.optim.Adam(model.classifier.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            perm = torch.randperm(768, generator=g)
            tot = 0.0
            for i in range(0, 768, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = {"epoch": epoch + 1, "train_loss": round(tot / 768, 4),
                   "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            print(row)
            f.write(json.dumps(row) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 12},
               out / "lance_net.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="lance_net.pt", log="train_log.jsonl",
           complaint="Trained the lance-tip impact classifier for 12 epochs: val accuracy is "
                     "stuck around 0.5-0.65 and the train loss only went from 1.39 to 1.32. Four "
                     "classes and the strikes look totally different on the plots, so I "
                     "expected 95%+. Is the model too small?",
           what="1-D CNN jousting lance-impact classifier, optimizer given only the last layer")


if __name__ == "__main__":
    main()
