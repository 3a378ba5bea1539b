"""Conv-TasNet-lite separating a machine hum from a tapping sound in 256-sample mono clips: source
1 is a harmonic hum (fundamental 0.02–0.06 cycles/sample, 3 harmonics with random amplitudes
and phases, a slow amplitude drift), source 2 a train of decaying clicks (random rate and
decay, random polarity); the mixture is their sum plus a little white noise. A 1-D conv encoder
(32 filters of 16 samples, stride 8, ReLU), a temporal convolution network (bottleneck 32, 4
blocks with depthwise convs dilated 1, 2, 4, 8, PReLU, global layer norm, residual), sigmoid
masks for the 2 sources and a transposed-conv decoder. Loss: negative scale-invariant SNR
(SI-SNR) per source, sources in a fixed order (hum, taps). Adam 2e-3, batch 32, 10 epochs of
640 clips; JSON lines per epoch with the train / val negative SI-SNR and the val SI-SNR
improvement over the mixture (dB).
Bug: ``StepLR(opt, step_size=3, gamma=0.5)`` — meant as "halve the lr every 3 epochs" — is
stepped inside the batch loop, so the lr halves every 3 *batches*: after the first epoch's 20
batches it is 2e-3 × 0.5^6 ≈ 3e-5, after the second 5e-7; the model freezes in the state it
reached in its first few dozen steps: train / val negative SI-SNR 14.66 / 14.48 from epoch 2
on (the estimates are worse than the mixture, SI-SNRi −14.4 dB). Control (``sched.step()`` once
per epoch): val SI-SNR 7.8 dB, SI-SNRi +7.9 dB, still improving."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 256


def mixtures(n, g):
    t = torch.arange(T).float()
    f0 = 0.02 + 0.04 * torch.rand(n, 1, generator=g)
    hum = torch.zeros(n, T)
    for h in range(1, 4):
        amp = torch.rand(n, 1, generator=g) / h
        ph = torch.rand(n, 1, generator=g) * 6.283
        hum += amp * torch.sin(2 * math.pi * f0 * h * t + ph)
    hum *= 1 + 0.3 * torch.sin(2 * math.pi * t / T * torch.rand(n, 1, generator=g) + 1)
    rate = 8 + 24 * torch.rand(n, 1, generator=g)
    onset = (torch.rand(n, T, generator=g) < 1 / rate).float()
    onset *= torch.where(torch.rand(n, T, generator=g) < 0.5, -1.0, 1.0)
    decay = 2 + 4 * torch.rand(n, 1, 1, generator=g)
    kern = torch.exp(-torch.arange(24).float() / decay) * torch.sin(torch.arange(24).float() * 2)
    taps = F.conv1d(F.pad(onset[None], (23, 0)), kern.flip(-1), groups=n)[0]
    src = torch.stack([hum, taps * 1.5], 1)
    mix = src.sum(1) + 0.05 * torch.randn(n, T, generator=g)
    return mix[:, None], src


class GLN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gamma, self.beta = nn.Parameter(torch.ones(1, c, 1)), nn.Parameter(torch.zeros(1, c, 1))

    def forward(self, x):
        mu, var = x.mean((1, 2), keepdim=True), x.var((1, 2), keepdim=True, unbiased=False)
        return self.gamma * (x - mu) / (var + 1e-8).sqrt() + self.beta


class TCNBlock(nn.Module):
    def __init__(self, b, h, d):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(b, h, 1), nn.PReLU(), GLN(h),
                                 nn.Conv1d(h, h, 3, padding=d, dilation=d, groups=h), nn.PReLU(),
                                 GLN(h), nn.Conv1d(h, b, 1))

    def forward(self, x):
        return x + self.net(x)


class ConvTasNetLite(nn.Module):
    def __init__(self, n=32, l=16, b=32, h=64, sources=2):  # noqa: E741
        super().__init__()
        self.sources = sources
        self.encoder = nn.Conv1d(1, n, l, stride=l // 2, bias=False)
        self.separator = nn.Sequential(GLN(n), nn.Conv1d(n, b, 1),
                                       *[TCNBlock(b, h, d) for d in (1, 2, 4, 8)],
                                       nn.PReLU(), nn.Conv1d(b, n * sources, 1))
        self.decoder = nn.ConvTranspose1d(n, 1, l, stride=l // 2, bias=False)

    def forward(self, mix):
        w = F.relu(self.encoder(mix))
        masks = torch.sigmoid(self.separator(w)).view(len(mix), self.sources, -1, w.shape[-1])
        est = self.decoder((masks * w[:, None]).flatten(0, 1))
        return est.view(len(mix), self.sources, -1)[..., :mix.shape[-1]]


def si_snr(est, ref):
    est, ref = est - est.mean(-1, keepdim=True), ref - ref.mean(-1, keepdim=True)
    proj = (est * ref).sum(-1, keepdim=True) / (ref.pow(2).sum(-1, keepdim=True) + 1e-8) * ref
    return 10 * torch.log10(proj.pow(2).sum(-1) / ((est - proj).pow(2).sum(-1) + 1e-8) + 1e-8)


def neg_si_snr(est, ref):
    return -si_snr(est, ref).mean()


def build():
    torch.manual_seed(0)
    return ConvTasNetLite()


def main():
    from _seventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    mix, src = mixtures(800, g)
    mtr, str_, mva, sva = mix[:640], src[:640], mix[640:], src[640:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    base = si_snr(mva.expand(-1, 2, -1), sva).mean().item()
    log = open(out / "tasnet_train.jsonl", "w")
    for epoch in range(10):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(mtr), generator=g).split(32):
            loss = neg_si_snr(model(mtr[idx]), str_[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            est = model(mva)
            vloss = neg_si_snr(est, sva).item()
        rec = {"epoch": epoch, "train_neg_sisnr": round(tot / len(mtr), 3),
               "val_neg_sisnr": round(vloss, 3), "val_sisnri_db": round(-vloss - base, 3)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict(), "epoch": epoch,
                "sample_len": T}, out / "tasnet_last.tar")
    finish(out, __file__, (mva[:32], sva[:32]), causes=["scheduler_step_per_batch"],
           checkpoint="tasnet_last.tar", log="tasnet_train.jsonl",
           what="Conv-TasNet-lite hum / taps separation, StepLR stepped per batch",
           complaint="Separation quality stops improving after the first epoch: SI-SNR is "
                     "stuck at the same value for the remaining nine epochs, both on train and "
                     "validation. Is the model too small for this?")


if __name__ == "__main__":
    main()
