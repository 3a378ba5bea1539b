"""A small WaveNet-style model (causal dilated 1-D convolutions, gated tanh x sigmoid units,
residual and skip connections) forecasts the next sample of a machine's vibration signal: the
output at time t is trained against the signal at t + 1. Synthetic signal: three drifting
harmonics plus an AR(2) component driven by white noise (the one-step noise floor is an MSE of
about 0.09 on the standardised signal). 4 layers with dilations 1, 2, 4, 8, 32 channels, Adam
lr 2e-3, 12 epochs of 256-sample windows, batch 32. Bug: the dilated convolutions have kernel 3
with ``padding=dilation`` (a "same" conv, copied from an image model) instead of kernel 2
padded on the left only, so every output sees up to 15 future samples, the one it has to
predict among them: train and val MSE fall far below the noise floor (train 0.45 -> 0.0046,
val 0.215 -> 0.0044; kernel 2, causal: train 0.67 -> 0.091, val 0.31 -> 0.093), and the model
cannot forecast once it is run on its own outputs."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

WIN = 256


def vibration(n, g):
    t = torch.arange(n).float()
    sig = torch.zeros(n)
    for f, a in ((0.031, 1.0), (0.077, 0.6), (0.0123, 0.8)):
        drift = 1 + 0.05 * torch.sin(t / 3000 + torch.rand(1, generator=g) * 6)
        sig += a * torch.sin(2 * torch.pi * f * t * drift)
    e = torch.randn(n, generator=g) * 0.3
    ar = torch.zeros(n)
    for i in range(2, n):
        ar[i] = 1.2 * ar[i - 1] - 0.5 * ar[i - 2] + e[i]
    return sig + ar


class ResBlock(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.filt = nn.Conv1d(ch, ch, 3, dilation=dilation, padding=dilation)
        self.gate = nn.Conv1d(ch, ch, 3, dilation=dilation, padding=dilation)
        self.res = nn.Conv1d(ch, ch, 1)
        self.skip = nn.Conv1d(ch, ch, 1)

    def forward(self, x):
        n = x.shape[-1]
        h = torch.tanh(self.filt(x)[..., :n]) * torch.sigmoid(self.gate(x)[..., :n])
        return x + self.res(h), self.skip(h)


class WaveNet(nn.Module):
    def __init__(self, ch=32):
        super().__init__()
        self.inp = nn.Conv1d(1, ch, 1)
        self.blocks = nn.ModuleList([ResBlock(ch, d) for d in (1, 2, 4, 8)])
        self.out = nn.Sequential(nn.ReLU(), nn.Conv1d(ch, ch, 1), nn.ReLU(), nn.Conv1d(ch, 1, 1))

    def forward(self, x):                      # x: (B, 1, T) -> next-sample prediction (B, 1, T)
        h, skips = self.inp(x), 0
        for b in self.blocks:
            h, s = b(h)
            skips = skips + s
        return self.out(skips)


def build():
    torch.manual_seed(0)
    return WaveNet()


def cut(sig, stride):
    return torch.stack([sig[i:i + WIN + 1] for i in range(0, len(sig) - WIN - 1, stride)])[:, None]


def main():
    from _twentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    sig = vibration(24000, g)
    mu, sd = sig[:20000].mean(), sig[:20000].std()
    sig = (sig - mu) / sd
    train, val = cut(sig[:20000], 64), cut(sig[20000:], 128)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "train_loss", "val_loss"])
    step = 0
    for epoch in range(12):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(train), generator=g).split(32):
            x = train[idx]
            loss = F.mse_loss(model(x[..., :-1]), x[..., 1:])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            step += 1
        model.eval()
        with torch.no_grad():
            val_loss = F.mse_loss(model(val[..., :-1]), val[..., 1:]).item()
        w.writerow([epoch, step, round(tot / len(train), 5), round(val_loss, 5)])
        print(epoch, step, round(tot / len(train), 5), round(val_loss, 5))
    f.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": epoch, "step": step},
               out / "wavenet.pt")
    finish(out, __file__, (val[:32, :, :-1], val[:32, :, 1:]),
           causes=["task_trivial_or_leak"], checkpoint="wavenet.pt", log="log.csv",
           what="WaveNet-style next-sample forecaster whose dilated convolutions are padded on "
                "both sides, so each output sees the sample it predicts",
           complaint="我的 WaveNet 振动预测模型验证集 MSE 只有 0.004，好得不正常（噪声本身就有"
                     "0.09 左右），但一旦用自己的输出做多步预测就完全发散了。")


if __name__ == "__main__":
    main()
