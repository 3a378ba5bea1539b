"""Keyword spotting with a Squeezeformer-lite on synthetic log-mel clips: 40 frames × 20 mel
bins, 6 keywords, each a sequence of 3 "syllables" (fixed spectral templates shared between
keywords, so two keywords differ only in one syllable or in their order), each syllable 5–9
frames, a random onset, a random gain 0.6–1.4 and background noise 0.6; the features are
standardised with the training mean / std. Model: a strided conv (20 → 48, stride 2, 20
frames), then the Squeezeformer's temporal U-Net: one block at 20 frames, a depthwise strided
conv down to 10 frames, one block there, a repeat up to 20 frames added to the skip; each block
is MHSA → FFN → conv module (pointwise, GLU, depthwise k 7, BN, SiLU, pointwise) → FFN, each
sub-module with a learnt scale/bias on its input and post-LayerNorm after the residual (the
Squeezeformer's "MF/CF" layout). Mean pool, linear head. SpecAugment in training only (one time
mask up to 8 frames, one frequency mask up to 5 bins), AdamW 2e-3, weight decay 0.01, 30
warm-up steps then cosine, batch 64, 8 epochs of 768 clips; a CSV per epoch. Healthy: val
accuracy 0.98 after a plateau at 0.74–0.75 in epochs 2–4 (keywords that share syllables are
still confused there) and a jump to 0.95 in epoch 5; the training cross-entropy 0.35 sits above
the validation one 0.30 (the masks and the dropout only act in training)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MELS, FRAMES, WORDS = 20, 40, 6
KEYWORDS = [[0, 1, 2], [0, 1, 3], [2, 1, 0], [3, 4, 5], [5, 4, 3], [1, 4, 2]]


def clips(n, g, templates):
    x = 0.6 * torch.randn(n, FRAMES, MELS, generator=g)
    y = torch.randint(0, WORDS, (n,), generator=g)
    for i in range(n):
        t = int(torch.randint(0, 10, (1,), generator=g))
        gain = 0.6 + 0.8 * float(torch.rand(1, generator=g))
        for s in KEYWORDS[int(y[i])]:
            d = int(torch.randint(5, 10, (1,), generator=g))
            x[i, t:t + d] += gain * templates[s]
            t += d
    return x, y


def spec_augment(x, g):
    x = x.clone()
    for i in range(len(x)):
        w, f = int(torch.randint(0, 9, (1,), generator=g)), int(torch.randint(0, 6, (1,), generator=g))
        t0, f0 = int(torch.randint(0, FRAMES - w + 1, (1,), generator=g)), int(
            torch.randint(0, MELS - f + 1, (1,), generator=g))
        x[i, t0:t0 + w] = 0.0
        x[i, :, f0:f0 + f] = 0.0
    return x


class Scaled(nn.Module):  # Squeezeformer: scale/bias on the module input, post-LN after the residual
    def __init__(self, d, fn):
        super().__init__()
        self.fn, self.norm = fn, nn.LayerNorm(d)
        self.scale, self.bias = nn.Parameter(torch.ones(d)), nn.Parameter(torch.zeros(d))

    def forward(self, x):
        return self.norm(x + self.fn(x * self.scale + self.bias))


class MHSA(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.pos = nn.Parameter(torch.zeros(1, FRAMES // 2, d))

    def forward(self, x):
        h = x + self.pos[:, :x.shape[1]]
        return self.attn(h, h, x, need_weights=False)[0]


class ConvModule(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.pw1, self.dw = nn.Linear(d, 2 * d), nn.Conv1d(d, d, 7, padding=3, groups=d)
        self.bn, self.pw2 = nn.BatchNorm1d(d), nn.Linear(d, d)

    def forward(self, x):
        h = F.glu(self.pw1(x), -1).transpose(1, 2)
        return self.pw2(F.silu(self.bn(self.dw(h))).transpose(1, 2))


def ffn(d):
    return nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Dropout(0.1), nn.Linear(2 * d, d))


class Block(nn.Sequential):
    def __init__(self, d):
        super().__init__(Scaled(d, MHSA(d)), Scaled(d, ffn(d)), Scaled(d, ConvModule(d)),
                         Scaled(d, ffn(d)))


class SqueezeformerLite(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.subsample = nn.Conv1d(MELS, d, 3, 2, 1)
        self.block1, self.block2 = Block(d), Block(d)
        self.down = nn.Conv1d(d, d, 3, 2, 1, groups=d)
        self.head = nn.Linear(d, WORDS)

    def forward(self, x):  # (N, FRAMES, MELS) log-mels
        h = F.silu(self.subsample(x.transpose(1, 2))).transpose(1, 2)
        skip = self.block1(h)
        low = self.block2(self.down(skip.transpose(1, 2)).transpose(1, 2))
        h = skip + low.repeat_interleave(2, 1)[:, :skip.shape[1]]  # temporal U-Net
        return self.head(h.mean(1))


def build():
    torch.manual_seed(0)
    return SqueezeformerLite()


def main():
    from _eightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    templates = torch.randn(6, MELS, generator=g)
    x, y = clips(1024, g, templates)
    mean, std = x[:768].mean((0, 1)), x[:768].std((0, 1))
    x = (x - mean) / std
    xtr, ytr, xva, yva = x[:768], y[:768], x[768:], y[768:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    total = 8 * 12
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / 30 if s < 30 else 0.5 * (1 + math.cos(math.pi * (s - 30) / (total - 30))))
    f = open(out / "kws_epochs.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_ce", "valid_ce", "valid_acc"])
    step = 0
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            loss = F.cross_entropy(model(spec_augment(xtr[idx], g)), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
        row = [epoch, round(tot / len(xtr), 4), round(F.cross_entropy(logits, yva).item(), 4),
               round((logits.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"squeezeformer": model.state_dict(), "optim_state": opt.state_dict(),
                "sched": sched.state_dict(), "global_step": step,
                "feature_mean": mean, "feature_std": std}, out / "sqz_kws_final.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="sqz_kws_final.pt",
           log="kws_epochs.csv", what="Squeezeformer-lite keyword spotter with SpecAugment (healthy)")


if __name__ == "__main__":
    main()
