"""Stitch type recognition on an industrial sewing line, from the needle-thread tension sensor
(a load cell on the thread guide) of a garment factory's machines: 1.2 s windows at 200 Hz
(240 samples) while the machine sews, 5 classes — 0 lockstitch (one sharp take-up peak per
stitch), 1 chainstitch (peak + a looper pull half a cycle later), 2 overlock (three smaller
pulls per stitch, from the two loopers), 3 coverstitch (two needle peaks close together),
4 zigzag (lockstitch peaks alternating high / low with the needle swing). Stitch rate 20–35 per
second varies with the operator's pedal, plus motor hum and sensor noise; each window is
standardised on its own. A 1-D CNN (3 conv blocks, 16/32/32 channels, global average pool,
linear head), Adam 2e-3, batch 64, 12 epochs of 1600 windows; a CSV log per epoch.
Bug: the author writes the loss out by hand (softmax, then ``nn.NLLLoss`` on its log, "to see
the probabilities") and takes ``F.softmax(logits, dim=0)``: the softmax runs over the 64
windows of the batch instead of the 5 stitch classes. Each class column only learns to rank
its windows above the batch's other windows; the columns' offsets are never trained against
each other, so the argmax over stitches is poor. Train NLL 3.98 → 2.98 (a batch-softmax loss:
ln 64 = 4.16, its floor ln(64 / 5) ≈ 2.5), val NLL (same softmax over the 400 val windows)
5.45 → 4.85; val accuracy 0.43, 0.41, 0.41, 0.45, 0.53, 0.51, 0.42, 0.41, 0.41, 0.41, 0.43,
0.45, overlock and zigzag never predicted after epoch 1 (epoch 12: 152 lockstitch, 222
chainstitch, 26 coverstitch of 400). The control (``dim=1`` in both softmaxes) reaches val
accuracy 0.80 (0.55 after epoch 2), val NLL 0.46, train NLL 0.48, all 5 stitches predicted.
The sensor noise was 0.12 at first: there the ``dim=0`` run reached val accuracy 0.915 (control
0.965), so the noise became 0.3 (see the README)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FS, T = 200, 240
STITCHES = ["lockstitch", "chainstitch", "overlock", "coverstitch", "zigzag"]


def pulse(t, centres, width, height):
    return height * torch.exp(-((t[None, :] - centres[:, None]) / width) ** 2).sum(0)


def windows(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.arange(T) / FS
    x = torch.zeros(n, T)
    for i in range(n):
        rate = 20 + 15 * float(torch.rand(1, generator=g))
        period = 1 / rate
        c0 = float(torch.rand(1, generator=g)) * period
        c = torch.arange(c0 - period, 1.2 + period, period)
        w = 0.0025 + 0.001 * float(torch.rand(1, generator=g))
        k = int(y[i])
        if k == 0:
            s = pulse(t, c, w, 1.0)
        elif k == 1:
            s = pulse(t, c, w, 1.0) + pulse(t, c + period / 2, 1.6 * w, 0.55)
        elif k == 2:
            s = sum(pulse(t, c + j * period / 3, w, 0.5) for j in range(3))
        elif k == 3:
            s = pulse(t, c, w, 0.9) + pulse(t, c + 0.18 * period, w, 0.9)
        else:
            h = 1.0 - 0.45 * (torch.arange(len(c)) % 2).float()
            s = (h[:, None] * torch.exp(-((t[None, :] - c[:, None]) / w) ** 2)).sum(0)
        hum = 0.15 * torch.sin(6.283 * 50 * t + 6.283 * float(torch.rand(1, generator=g)))
        x[i] = s + hum + 0.3 * torch.randn(T, generator=g)
    x = (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True)
    return x[:, None], y


class StitchNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        return self.head(self.body(x).mean(-1))


def build():
    torch.manual_seed(0)
    return StitchNet()


def main():
    from _hundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    nll = nn.NLLLoss()
    f = open(out / "stitch_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train_NLL", "Val_NLL", "Val_Acc"])
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        for i in range(0, 1600, 64):
            idx = perm[i:i + 64]
            probs = F.softmax(model(xtr[idx]), dim=0)
            loss = nll(torch.log(probs + 1e-8), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = nll(torch.log(F.softmax(lo, dim=0) + 1e-8), yva).item()
            acc = (lo.argmax(1) == yva).float().mean().item()
        w.writerow([epoch, f"{tot / 1600:.4f}", f"{vl:.4f}", f"{acc:.4f}"])
        print(epoch, round(tot / 1600, 4), round(vl, 4), round(acc, 4),
              torch.bincount(lo.argmax(1), minlength=5).tolist())
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 11, "fs_hz": FS, "stitches": STITCHES}, out / "stitchnet_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="stitchnet_last.pt", log="stitch_metrics.csv",
           what="1-D CNN stitch type from needle-thread tension, softmax over the batch (dim=0) "
                "before NLLLoss(log)",
           complaint="我的缝纫线迹分类模型（5 类：锁式、链式、包缝、绷缝、之字）训练了 12 个 epoch，"
                     "训练 NLL 从 3.98 降到 2.98，可验证准确率一直在 0.41–0.53 之间打转，最后只有 "
                     "0.45。包缝和之字线迹从第二个 epoch 起就再也没被预测过，模型几乎只输出锁式和"
                     "链式。loss 的数值也很怪，比 ln5 大得多，验证 NLL 还有 4.85。")


if __name__ == "__main__":
    main()
