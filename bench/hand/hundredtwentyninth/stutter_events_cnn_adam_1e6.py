"""Stuttering-event detection for a speech-therapy app: a dilated 1-D CNN labels 2-s clips of
a client's reading (synthetic 20-band log-mel frames, 80 frames at 40 Hz) as fluent, sound
repetition ("b-b-b-ball": one short syllable 3–4 times in a row), prolongation ("sssun": one
syllable held 14–24 frames) or block (a silent stop of 9–14 frames mid-word, then a hard
onset). Each syllable is a smooth random formant-like band pattern, 4–7 frames long, with 1–2
frames of near-silence between syllables; noise 0.3, per-clip gain 0.8–1.2. Conv1d 20→32 (k 5),
two dilated Conv1d 32→32 (k 5, dilation 2 and 4), mean + max pooling over time, dropout 0.2, a
linear head. Batch 32, 8 epochs of 1200 clips; a JSON-lines log per epoch.
Bug: ``torch.optim.Adam(net.parameters(), lr=1e-6)`` — the author wrote the lr for
fine-tuning a pretrained encoder into this from-scratch script. Every Adam step moves each
weight by at most ~1e-6, so in 304 steps nothing happens: train loss 1.396 → 1.394, val loss
1.402 → 1.400, val accuracy 0.227 every epoch (chance; one class). The control (lr 1e-3)
reaches val accuracy 1.00, val loss 0.015, train loss 0.032."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS, FRAMES = 20, 80
EVENTS = ["fluent", "repetition", "prolongation", "block"]


def syllable(g):
    base = torch.randn(BANDS, generator=g)
    pat = F.avg_pool1d(base[None, None], 5, 1, 2, count_include_pad=False)[0, 0]
    return 1.0 + 1.5 * (pat - pat.min()) / (pat.max() - pat.min() + 1e-6)


def clip(kind, g):
    r = lambda a, b: int(torch.randint(a, b + 1, (1,), generator=g))  # noqa: E731
    x = torch.zeros(BANDS, FRAMES)
    t = r(0, 3)
    event_at = r(20, 45)
    done = kind == 0
    while t < FRAMES:
        if not done and t >= event_at:
            done = True
            s = syllable(g)
            if kind == 1:
                for _ in range(r(3, 4)):
                    x[:, t:t + 3] = s[:, None]
                    t += 3 + 1
            elif kind == 2:
                d = r(14, 24)
                x[:, t:t + d] = s[:, None]
                t += d
            else:
                t += r(9, 14)
                x[:, t:t + 2] = 3.0
                t += 2
                d = r(4, 7)
                x[:, t:t + d] = s[:, None]
                t += d
            t += r(1, 2)
            continue
        d = r(4, 7)
        x[:, t:t + d] = syllable(g)[:, None]
        t += d + r(1, 2)
    gain = 0.8 + 0.4 * float(torch.rand(1, generator=g))
    return x * gain + 0.3 * torch.randn(BANDS, FRAMES, generator=g)


def make(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    return torch.stack([clip(int(k), g) for k in y]), y


class StutterCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(BANDS, 32, 5, padding=2)
        self.c2 = nn.Conv1d(32, 32, 5, padding=4, dilation=2)
        self.c3 = nn.Conv1d(32, 32, 5, padding=8, dilation=4)
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(64, len(EVENTS))

    def forward(self, x):
        h = F.relu(self.c1(x))
        h = F.relu(self.c2(h))
        h = F.relu(self.c3(h))
        h = torch.cat([h.mean(-1), h.amax(-1)], 1)
        return self.fc(self.drop(h))


def build():
    torch.manual_seed(0)
    return StutterCNN()


def main():
    from _hundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make(1200, g)
    xva, yva = make(300, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-6)
    log = open(out / "train_log.jsonl", "w")
    for epoch in range(8):
        net.train()
        perm = torch.randperm(len(xtr))
        run, seen = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            run += loss.item() * len(idx)
            seen += len(idx)
        net.eval()
        with torch.no_grad():
            lo = net(xva)
        rec = {"epoch": epoch + 1, "train_loss": round(run / seen, 4),
               "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
               "val_accuracy": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": net.state_dict(), "optim_state": opt.state_dict(), "epoch": 8,
                "events": EVENTS, "frame_rate_hz": 40}, out / "stutter_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="stutter_cnn.pt", log="train_log.jsonl",
           what="stuttering-event CNN trained from scratch with Adam lr 1e-6",
           complaint="我在做一个口吃检测模型（流畅/重复/拖音/阻塞四类），训练了8个epoch，"
                     "训练损失从1.396只降到1.394，验证准确率每个epoch都是0.227，"
                     "基本就是随机猜。损失曲线几乎是一条平线，模型好像什么都没学到。")


if __name__ == "__main__":
    main()
