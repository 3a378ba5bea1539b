"""Gravitational-wave detection (physics): a 1-D CNN flags 2-s segments of whitened detector
strain (256 Hz, 512 samples) that contain a compact-binary inspiral. Synthetic: coloured-then-
whitened Gaussian noise (unit variance), half the segments with an injected chirp (frequency
sweeping up from 30–40 Hz to a merger at 150–200 Hz, amplitude growing as f^(2/3), a short
ring-down, merger time 1.2–1.8 s, optimal SNR 8–14), and 15 % of all segments with a noise
glitch (a sine-Gaussian "blip" of 60–250 Hz) that the model must not call a signal. A table of
injections (gps start, label) comes from the injection pipeline in injection order; the
segments are a dict keyed by gps start. CNN: conv k 16 stride 2 → 16, max-pool 2, conv k 8 → 32,
max-pool 2, conv k 8 → 32, global max, linear → 2. Adam 1e-3, batch 64, 8 epochs of 1600
segments; a CSV per epoch (``ep,train_loss,val_loss,val_acc,val_tpr``).
Bug: the loader builds ``x`` from ``sorted(segments)`` (gps order) but the labels in the
table's injection order, so every segment gets the label of another segment. Train loss 0.699
→ 0.660 (epoch 8, the net starts to memorise), val loss 0.69–0.72 (0.70 at the end), val
accuracy 0.48–0.55 (0.48 at the end) with the val TPR jumping between 0 and 1 (all-noise or
all-signal predictions); the control (the table sorted by gps too) reaches val accuracy 0.92,
val TPR 0.92, val loss 0.234, train loss 0.234, after a slow start (0.48–0.64 for 3 epochs)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FS, N = 256, 512


def segment(signal, glitch, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    t = torch.arange(N).float() / FS
    noise = torch.randn(N, generator=g)
    x = noise
    if signal:
        tc, f0, fm = 1.2 + 0.6 * r(), 30 + 10 * r(), 150 + 50 * r()
        tau = (tc - t).clamp(min=0)
        f = (f0 ** (-8 / 3) - (f0 ** (-8 / 3) - fm ** (-8 / 3)) * (1 - tau / tc)) ** (-3 / 8)
        phase = 2 * torch.pi * torch.cumsum(f, 0) / FS
        h = (f / fm) ** (2 / 3) * torch.sin(phase) * (t < tc).float()
        h = h + torch.exp(-(t - tc).clamp(min=0) / 0.01) * torch.sin(2 * torch.pi * fm * (t - tc)) * (t >= tc).float()
        h = h / h.norm() * (8 + 6 * r())
        x = x + h
    if glitch:
        t0, fg = 0.2 + 1.6 * r(), 60 + 190 * r()
        x = x + 6 * torch.exp(-((t - t0) / 0.01) ** 2) * torch.sin(2 * torch.pi * fg * t)
    return x


def pipeline(n, g, gps0):
    """The injection pipeline: a table in injection order and segments keyed by gps start."""
    gps = gps0 + 2 * torch.randperm(4 * n, generator=g)[:n]
    table, segments = [], {}
    for k in range(n):
        label = int(torch.rand(1, generator=g) < 0.5)
        glitch = bool(torch.rand(1, generator=g) < 0.15)
        segments[int(gps[k])] = segment(label, glitch, g)
        table.append({"gps": int(gps[k]), "label": label})
    return table, segments


def load(table, segments):
    x = torch.stack([segments[k] for k in sorted(segments)])[:, None]
    y = torch.tensor([row["label"] for row in table])
    return x, y


class ChirpNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 16, stride=2, padding=7)
        self.c2 = nn.Conv1d(16, 32, 8, padding=4)
        self.c3 = nn.Conv1d(32, 32, 8, padding=4)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        h = F.max_pool1d(F.relu(self.c1(x)), 2)
        h = F.max_pool1d(F.relu(self.c2(h)), 2)
        h = F.relu(self.c3(h)).amax(-1)
        return self.fc(h)


def build():
    torch.manual_seed(0)
    return ChirpNet()


def main():
    from _hundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = load(*pipeline(1600, g, 1_260_000_000))
    xva, yva = load(*pipeline(400, g, 1_270_000_000))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.manual_seed(1)
    f = open(out / "gw_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "train_loss", "val_loss", "val_acc", "val_tpr"])
    for ep in range(8):
        model.train()
        perm = torch.randperm(len(xtr))
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
            lo = model(xva)
            pred = lo.argmax(1)
            row = [ep, round(tot / len(xtr), 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((pred == yva).float().mean().item(), 4),
                   round(((pred == 1) & (yva == 1)).sum().item() / max(int((yva == 1).sum()), 1), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": ep,
                "fs": FS, "segment_len": N}, out / "chirpnet.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["labels_wrong"],
           checkpoint="chirpnet.ckpt", log="gw_train.csv",
           what="GW chirp-detection CNN, segments in gps order zipped with labels in injection order",
           complaint="我的引力波 chirp 检测 CNN 完全学不到东西：训练 8 个 epoch，train loss "
                     "只从 0.699 降到 0.660，验证准确率一直在 0.48–0.55 之间（最后 0.48），"
                     "val TPR 在 0 和 1 之间来回跳。注入的信号 SNR 有 8–14，按理说应该很容易检测。")


if __name__ == "__main__":
    main()
