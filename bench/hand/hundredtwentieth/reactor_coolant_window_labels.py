"""Anomaly classifier for a pressurised-water reactor's primary loop, from a plant-simulator
export: a long record of 4 channels at 2 Hz (cold-leg temperature, hot-leg temperature,
pressuriser pressure, ex-core neutron flux), run as back-to-back 64-sample test segments, each
in one state: normal, reactor coolant pump degradation (flow falls → hot-leg/cold-leg gap
widens, slow ramp), control-rod drift (flux and hot-leg temperature creep up with a small
step), pressuriser heater fault (pressure oscillates at ~0.05 Hz). The per-sample state column
comes with the export; the record is cut into 64-sample windows and each window is labelled
with the state at its end. A small 1-D CNN (3 conv layers, 32 channels, global average pool),
Adam 2e-3, batch 64, 12 epochs of 1600 windows; a CSV log per epoch.
Bug: the label is read as ``state[(i + 1) * W]`` — one past the window's last sample, i.e. the
first sample of the NEXT segment — so every window carries the next segment's state, which is
independent of what the window shows. Val accuracy 0.27, 0.24, 0.24, 0.21, ... 0.2375 (chance
0.25), val loss 1.385 → 1.473 while the train loss creeps 1.388 → 1.262 (train accuracy 0.42:
memorising). (The control reads ``state[(i + 1) * W - 1]``: val accuracy 1.00 from epoch 1,
val loss 1e-4.)"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

W = 64
STATES = ["normal", "rcp_degradation", "rod_drift", "heater_fault"]


def record(n_seg, g):
    t = torch.arange(W).float() / 2.0
    seg = torch.randint(0, 4, (n_seg,), generator=g)
    xs = []
    for s in seg.tolist():
        tc = 292 + 0.3 * torch.randn(W, generator=g)
        th = 325 + 0.3 * torch.randn(W, generator=g)
        p = 155 + 0.05 * torch.randn(W, generator=g)
        flux = 100 + 0.4 * torch.randn(W, generator=g)
        r = float(torch.rand(1, generator=g))
        if s == 1:
            th = th + (2 + 2 * r) * t / t[-1]
            tc = tc - (0.5 + r) * t / t[-1]
        elif s == 2:
            flux = flux + (2 + 3 * r) * t / t[-1] + 1.0
            th = th + (0.8 + r) * t / t[-1]
        elif s == 3:
            p = p + (0.3 + 0.3 * r) * torch.sin(6.283 * 0.05 * t + 6 * r)
        xs.append(torch.stack([tc, th, p, flux]))
    x = torch.cat(xs, 1)
    state = seg.repeat_interleave(W)
    return x, state


def windows(x, state):
    n = state.numel() // W - 1
    xw = torch.stack([x[:, i * W:(i + 1) * W] for i in range(n)])
    y = torch.stack([state[(i + 1) * W] for i in range(n)])  # state at the window's end
    mu = torch.tensor([292., 325., 155., 100.])[:, None]
    sd = torch.tensor([1., 1.5, 0.2, 2.])[:, None]
    return (xw - mu) / sd, y


class LoopCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(32, 32, 5, padding=2, stride=2), nn.ReLU(),
                                 nn.Conv1d(32, 32, 5, padding=2, stride=2), nn.ReLU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        h = self.net(x)
        return self.head(torch.cat([h.mean(-1), h[..., -1] - h[..., 0]], 1))


def build():
    torch.manual_seed(0)
    return LoopCNN()


def main():
    from _hundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(*record(1601, g))
    xva, yva = windows(*record(401, g))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "loop_anomaly.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "loss_tr", "acc_tr", "loss_val", "acc_val"])
    for ep in range(1, 13):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, cor = 0.0, 0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            cor += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [ep, round(tot / len(xtr), 4), round(cor / len(xtr), 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "ep": 12, "states": STATES},
               out / "loopcnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="loopcnn.ckpt", log="loop_anomaly.csv",
           what="reactor-loop anomaly CNN, each window labelled with the next segment's state "
                "(off-by-one index)",
           complaint="反应堆一回路异常分类的1D CNN学不会：12个epoch后验证准确率只有0.24，四个类别等于"
                     "瞎猜，验证loss从1.38涨到1.47；训练loss只从1.39降到1.26，训练准确率0.42。"
                     "数据是仿真器导出的，按64个采样点切窗口，每个窗口取结束时刻的状态作为标签。")


if __name__ == "__main__":
    main()
