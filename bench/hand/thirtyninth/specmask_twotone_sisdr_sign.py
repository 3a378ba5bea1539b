"""Spectrogram mask network for synthetic two-tone source separation: each 0.512 s clip at
4 kHz mixes a low tone (150–500 Hz, with a random slow amplitude envelope) — the source to
keep — with a high tone (700–1 500 Hz, its own envelope) and white noise σ 0.05. The STFT
(n_fft 128, hop 32, Hann) log-magnitude of the mixture, with a frequency-position channel,
goes into a small conv net (three 3×3 convs, 8 channels, dilations 1 / 2 / 4, ReLU, then a
1×1 conv and a sigmoid) that predicts a soft mask; the masked complex STFT is inverted
(``torch.istft``) and scored against the clean low tone with the scale-invariant SDR. Adam
3e-3, batch 32, 6 epochs of 640 clips, 200 val clips; the log is a CSV (``epoch``, ``batch``,
``si_sdr_loss`` every 5 batches, ``val_si_sdr_db`` and ``val_sdr_gain_db`` (over the unmasked
mixture) per epoch). The bug: ``si_sdr_loss``
returns the SI-SDR itself, not its negative (the helper was adapted from a metric), so Adam
*minimises* the SDR: the "loss" falls steadily while the separated signal gets worse than
the mixture: the mask closes to ~0, val SI-SDR −46.6 dB after epoch 0 and −73.8 dB at the
end, against −0.22 dB for the unmasked mixture (control, ``return -sdr.mean()``: val SI-SDR
4.7 → 25.5 dB)."""
import csv
import math

import torch
import torch.nn as nn

SR, N, NFFT, HOP = 4000, 2048, 128, 32


def clips(n, g):
    t = torch.arange(N) / SR

    def tone(lo, hi):
        f = lo + (hi - lo) * torch.rand(n, 1, generator=g)
        ph = 2 * math.pi * torch.rand(n, 1, generator=g)
        rate = 1 + 3 * torch.rand(n, 1, generator=g)
        env = 0.6 + 0.4 * torch.sin(2 * math.pi * rate * t + ph)
        amp = 0.5 + torch.rand(n, 1, generator=g)
        return amp * env * torch.sin(2 * math.pi * f * t + ph)

    low, high = tone(150, 500), tone(700, 1500)
    mix = low + high + 0.05 * torch.randn(n, N, generator=g)
    return mix, low


def stft(x):
    return torch.stft(x, NFFT, HOP, window=torch.hann_window(NFFT), return_complex=True)


def istft(z):
    return torch.istft(z, NFFT, HOP, window=torch.hann_window(NFFT), length=N)


class MaskNet(nn.Module):
    def __init__(self, ch=8):
        super().__init__()
        layers, cin = [], 2
        for d in (1, 2, 4):
            layers += [nn.Conv2d(cin, ch, 3, padding=d, dilation=d), nn.ReLU()]
            cin = ch
        self.body = nn.Sequential(*layers)
        self.head = nn.Conv2d(ch, 1, 1)

    def forward(self, mag):  # (B, 1, F, T) magnitude → (B, 1, F, T) mask in (0, 1)
        b, _, nf, nt = mag.shape
        freq = torch.linspace(-1, 1, nf).view(1, 1, nf, 1).expand(b, 1, nf, nt)
        x = torch.cat([torch.log1p(mag), freq], 1)  # the bin position: a conv cannot see it
        return torch.sigmoid(self.head(self.body(x)))


def si_sdr(est, ref, eps=1e-8):
    alpha = (est * ref).sum(-1, keepdim=True) / (ref.pow(2).sum(-1, keepdim=True) + eps)
    target = alpha * ref
    return 10 * torch.log10(target.pow(2).sum(-1) / ((est - target).pow(2).sum(-1) + eps) + eps)


def si_sdr_loss(est, ref):
    sdr = si_sdr(est, ref)
    return sdr.mean()


def build():
    torch.manual_seed(0)
    return MaskNet()


def main():
    from _thirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tmix, tref = clips(640, g)
    vmix, vref = clips(200, g)
    tz, vz = stft(tmix), stft(vmix)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    f = open(out / "sep_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "batch", "si_sdr_loss", "val_si_sdr_db", "val_sdr_gain_db"])
    base = si_sdr(vmix, vref).mean().item()
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(tmix), generator=g)
        for b, i in enumerate(range(0, len(tmix), 32)):
            idx = perm[i:i + 32]
            z = tz[idx]
            mask = model(z.abs()[:, None])[:, 0]
            loss = si_sdr_loss(istft(mask * z), tref[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if b % 5 == 0:
                w.writerow([epoch, b, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            vs = si_sdr(istft(model(vz.abs()[:, None])[:, 0] * vz), vref).mean().item()
        w.writerow([epoch, b, "", round(vs, 3), round(vs - base, 3)])
        print(epoch, round(loss.item(), 3), round(vs, 3), round(base, 3))
    f.close()
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": epoch, "stft": {"n_fft": NFFT, "hop": HOP, "sr": SR}},
               out / "masknet.pt")
    vmag = vz.abs()[:64, None]
    finish(out, __file__, (vmag, stft(vref[:64]).abs()[:, None]), causes=["loss_sign_error"],
           checkpoint="masknet.pt", log="sep_log.csv",
           what="STFT mask net, two-tone separation, SI-SDR 'loss' returned without its minus "
                "sign: the SDR is minimised",
           complaint="The separation loss goes down nicely every epoch, but the output sounds "
                     "worse than the raw mixture, and the validation SI-SDR drops further "
                     "below the mixture's every epoch.")


if __name__ == "__main__":
    main()
