"""Speech-enhancement mask estimator written by hand: a small conv net predicts a
time-frequency ratio mask for synthetic noisy "speech" spectrograms (32 frequency bins × 32
frames). Clean speech is voiced syllables: a harmonic stack on a random pitch that glides, with
a syllable envelope; the noise is coloured and stationary (random tilt and level, SNR −5 to
+10 dB); powers add. Target: the ideal ratio mask clean / (clean + noise). Net: four 3×3
Conv2d (1 → 12 → 12 → 12 → 1), ReLU, sigmoid output; MSE on the mask, Adam 1e-3, batch 32,
10 epochs over 1000 clips, 250 held out; the log is JSON lines per epoch (mask MSE, val mask
MSE, val SNR gain in dB of the masked power over the noisy input).
Bug: the features are the raw power spectrogram as the front end hands it over (speech
amplitude up to ~200, so powers up to ~4e4 next to 1e-2 in quiet bins); the log-compression and
per-clip normalisation (``feats = normalise(log1p(power))``) were left out."""
import json

import torch
import torch.nn as nn

F_BINS, T_FR, NORMALISE = 32, 32, False


def clips(n, g):
    f = torch.arange(F_BINS, dtype=torch.float32)[None, :, None]
    t = torch.arange(T_FR, dtype=torch.float32)[None, None, :]
    f0 = 1.5 + 2.5 * torch.rand(n, 1, 1, generator=g)
    glide = 0.03 * torch.randn(n, 1, 1, generator=g)
    pitch = f0 * (1 + glide * (t - T_FR / 2) / T_FR * 4)
    clean = torch.zeros(n, F_BINS, T_FR)
    for h in range(1, 9):
        clean += torch.exp(-((f - h * pitch) ** 2) / 0.5) * (0.85 ** h)
    on = torch.randint(0, 10, (n, 1, 1), generator=g)
    length = torch.randint(12, 22, (n, 1, 1), generator=g)
    env = torch.sigmoid((t - on) * 1.5) * torch.sigmoid((on + length - t) * 1.5)
    amp = 20 + 180 * torch.rand(n, 1, 1, generator=g)
    clean = (amp * clean * env) ** 2
    tilt = torch.rand(n, 1, 1, generator=g)
    shape = torch.exp(-tilt * f / 8) * (0.5 + torch.rand(n, F_BINS, T_FR, generator=g))
    snr_db = -5 + 15 * torch.rand(n, 1, 1, generator=g)
    level = clean.mean((1, 2), keepdim=True) / shape.mean((1, 2), keepdim=True)
    noise = shape * level * 10 ** (-snr_db / 10)
    return clean + noise, clean / (clean + noise), clean


def features(power):
    if not NORMALISE:
        return power[:, None]
    lp = torch.log1p(power)
    return ((lp - lp.mean((1, 2), keepdim=True)) / lp.std((1, 2), keepdim=True))[:, None]


class MaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(12, 12, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(12, 12, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(12, 1, 3, padding=1))

    def forward(self, feats):
        return torch.sigmoid(self.net(feats)).squeeze(1)


def build():
    torch.manual_seed(0)
    return MaskNet()


def snr_gain(mask, noisy, clean):
    before = 10 * torch.log10(clean.sum() / (noisy - clean).abs().sum())
    after = 10 * torch.log10(clean.sum() / (mask * noisy - clean).abs().sum())
    return (after - before).item()


def main():
    from _fortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    noisy, irm, clean = clips(1250, g)
    x = features(noisy)
    xtr, mtr, xva, mva = x[:1000], irm[:1000], x[1000:], irm[1000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "enhance_log.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(1000, generator=g)
            tot = 0.0
            for i in range(0, 1000, 32):
                idx = perm[i:i + 32]
                loss = ((model(xtr[idx]) - mtr[idx]) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pm = model(xva)
                vl = ((pm - mva) ** 2).mean().item()
                gain = snr_gain(pm, noisy[1000:], clean[1000:])
            row = {"epoch": epoch, "mask_mse": round(tot / 1000, 5), "val_mask_mse": round(vl, 5),
                   "val_snr_gain_db": round(gain, 3)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"mask_net": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": epoch, "val_mask_mse": vl}, out / (f"masknet_ep{epoch}.pt"))
    finish(out, __file__, (xva[:32], mva[:32]), causes=["input_not_normalized"],
           checkpoint=f"masknet_ep{epoch}.pt", log="enhance_log.jsonl",
           what="hand-written conv mask estimator, synthetic noisy speech, raw power features",
           complaint="降噪 mask 网络学得很慢，10 个 epoch 后验证集 mask 误差还有 0.036，"
                     "增强后的语音里噪声还很明显，信噪比提升很有限")


if __name__ == "__main__":
    main()
