"""Combustion-instability classifier for a small liquid rocket engine's static fires: synthetic
25.6-ms windows of the chamber-pressure transducer at 20 kHz (512 samples), detrended, turned
into a 64-bin log power spectrum (Welch: 4 Hann segments of 128 samples, 156 Hz bins,
standardised per bin on the training set). Four classes: stable combustion (broadband
roar), chugging (a 150–350 Hz feed-system oscillation), buzzing (an 800–1500 Hz intermediate
mode) and screeching (a 3–6 kHz tangential acoustic mode with a weaker first overtone); every
window also has a turbopump tone at 6.5–8 kHz and roar of random level, and the instability
amplitude ranges from weak to strong. An MLP 64 → 128 → 64 → 4 with dropout 0.2;
CrossEntropyLoss, SGD lr 0.01 momentum 0.9, batch 64, 12 epochs of 2000 windows; a CSV per
epoch ``Epoch, Train Loss, Valid Loss, Valid Acc, Screech Recall``.
Bug: the MLP ends in ``nn.Softmax(dim=1)`` (kept from the notebook that plotted class
probabilities) and its output goes into ``nn.CrossEntropyLoss``, which applies log-softmax
itself: the loss sees probabilities as logits, its gradients are squashed and it can never go
below ln(1 + 3/e) = 0.74. Train loss 1.385 → 1.349 over the first 4 epochs, then 0.96 at epoch
12 (val loss 0.93, val accuracy 0.83); the control (no Softmax layer) has train loss 0.51 and
val accuracy 0.87 at epoch 4, train loss 0.20, val loss 0.22, val accuracy 0.91 at epoch 12."""
import csv

import torch
import torch.nn as nn

FS, N, BINS = 20000, 512, 64
MODES = ["stable", "chugging", "buzzing", "screeching"]


def firings(n, g):
    t = torch.arange(N).float() / FS
    y = torch.randint(0, 4, (n,), generator=g)
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    x = (0.5 + r(n, 1)) * torch.randn(n, N, generator=g)
    pump = 6500 + 1500 * r(n, 1)
    x = x + 0.6 * r(n, 1) * torch.sin(6.283 * pump * t + 6 * r(n, 1))
    lo = torch.tensor([0, 150, 800, 3000.])[y][:, None]
    hi = torch.tensor([0, 350, 1500, 6000.])[y][:, None]
    f = lo + (hi - lo) * r(n, 1)
    amp = (y > 0).float()[:, None] * (0.5 + 1.0 * r(n, 1))
    x = x + amp * torch.sin(6.283 * f * t + 6 * r(n, 1))
    x = x + (y == 3).float()[:, None] * 0.4 * amp * torch.sin(6.283 * 2 * f * t)
    seg = (x - x.mean(1, keepdim=True)).view(n, 4, N // 4) * torch.hann_window(N // 4)
    spec = torch.fft.rfft(seg).abs()[:, :, 1:] ** 2  # Welch: 4 Hann segments of 128
    return torch.log(spec.mean(1) + 1e-6), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(BINS, 128), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(64, 4), nn.Softmax(dim=1))


def main():
    from _hundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = firings(2500, g)
    mu, sd = x[:2000].mean(0), x[:2000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    f = open(out / "combustion_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train Loss", "Valid Loss", "Valid Acc", "Screech Recall"])
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out_va = model(xva)
            pred = out_va.argmax(1)
            rec = ((pred == 3) & (yva == 3)).sum().item() / max((yva == 3).sum().item(), 1)
            row = [epoch, round(tot / len(xtr), 4), round(crit(out_va, yva).item(), 4),
                   round((pred == yva).float().mean().item(), 4), round(rec, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12,
                "sample_rate_hz": FS, "spec_mean": mu, "spec_std": sd},
               out / "combustion_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="combustion_mlp.pth", log="combustion_train.csv",
           what="combustion-instability MLP ending in nn.Softmax(dim=1) fed to CrossEntropyLoss",
           complaint="我的燃烧不稳定分类器（功率谱 + MLP）训练得特别慢：前 4 个 epoch 训练损失几乎"
                     "不动（1.385 → 1.349），12 个 epoch 之后训练损失还有 0.96，验证损失 0.93，"
                     "验证准确率只有 0.83。优化器是 SGD，lr 0.01，momentum 0.9，这个配置在别的"
                     "项目上一直很正常。")


if __name__ == "__main__":
    main()
