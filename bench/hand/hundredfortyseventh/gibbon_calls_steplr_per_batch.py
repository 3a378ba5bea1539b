"""Classifying gibbon song phrases recorded at the zoo's gibbon island (for the keepers' daily
song log): each phrase is reduced by the bioacoustics pipeline to 80 frames of two tracks —
the dominant-frequency contour (kHz, from the spectrogram peak) and the RMS envelope (dB,
normalised) — and labelled as one of 5 phrase types: boom (low, flat), wa-note series (short
rising notes), great call (notes rising and accelerating), trill (fast frequency wobble) and
coda (descending notes). Per-animal pitch offsets, wind noise and spectrogram-peak jumps (3 % of
frames). A 1-D CNN (16–32–32 channels, max pools, global average, linear 5). Adam 1e-3, batch 32,
20 epochs of 1600 phrases, ``StepLR(step_size=10, gamma=0.5)`` meant as "halve the lr every 10
epochs"; a CSV per epoch with the lr, train loss, val loss and val accuracy.
Bug: ``scheduler.step()`` sits inside the batch loop (50 batches an epoch), so the lr halves every
10 *batches*: 3e-5 after the first epoch, 1e-6 after the second, 1e-15 by epoch 10; the network
gets about 20 full-size steps in all. Train loss 1.49 → 1.3924 from epoch 3 on, val loss 1.3994, val
accuracy 0.8475 frozen from epoch 2 to 20. Control (``scheduler.step()`` once per epoch): val
accuracy 0.905 after epoch 1, 1.0 from epoch 2, val loss 0.0004 at epoch 20."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 80
TYPES = ["boom", "wa", "great_call", "trill", "coda"]


def phrases(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    r = lambda k=1: torch.rand(k, generator=g)  # noqa: E731
    f0, env = torch.zeros(n, T), torch.zeros(n, T)
    for i in range(n):
        base = 0.6 + 0.3 * float(r())
        k = int(y[i])
        if k == 0:
            f = base * 0.5 + 0.02 * torch.randn(T, generator=g)
            e = torch.exp(-((t - 0.5) / 0.3) ** 2)
        elif k == 1:
            nn_ = 4 + int(3 * float(r()))
            ph = (t * nn_ + float(r())) % 1
            f, e = base + 0.4 * ph, (ph < 0.5).float()
        elif k == 2:
            ph = (t ** 1.6 * 8 + float(r())) % 1
            f, e = base + 0.6 * t + 0.2 * ph, (ph < 0.6).float() * (0.5 + t)
        elif k == 3:
            f = base + 0.25 * torch.sin(2 * math.pi * (14 + 4 * float(r())) * t)
            e = torch.ones(T) * 0.8
        else:
            ph = (t * 5 + float(r())) % 1
            f, e = base + 0.5 - 0.5 * t - 0.1 * ph, (ph < 0.5).float() * (1.2 - t)
        f0[i], env[i] = f, e
    f0 = f0 + 0.08 * torch.randn(n, T, generator=g)
    jump = torch.rand(n, T, generator=g) < 0.03
    f0 = torch.where(jump, 2.0 * torch.rand(n, T, generator=g), f0)
    env = env + 0.15 * torch.randn(n, T, generator=g)
    x = torch.stack([(f0 - 0.9) / 0.35, (env - 0.5) / 0.45], 1)
    return x, y


class PhraseCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.body(x).mean(-1))


def build():
    torch.manual_seed(0)
    return PhraseCNN()


def main():
    from _hundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = phrases(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
    fh = open(out / "gibbon_train.csv", "w", newline="")
    w = csv.writer(fh)
    w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
    for epoch in range(20):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        running = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            optimizer.step()
            scheduler.step()
            running += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch + 1, f"{scheduler.get_last_lr()[0]:.3g}", round(running / len(xtr), 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    fh.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
                "scheduler_state": scheduler.state_dict(), "epoch": 20, "phrase_types": TYPES},
               out / "gibbon_phrase_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="gibbon_phrase_cnn.pt", log="gibbon_train.csv",
           what="gibbon song-phrase CNN, StepLR(step_size=10) stepped every batch instead of "
                "every epoch",
           complaint="我的长臂猿鸣叫分类模型训练了20个epoch，但从第2个epoch开始loss就卡住不动了："
                     "train loss一直是1.3924，val loss 1.3994，验证准确率每个epoch都是0.8475，"
                     "一点变化都没有。数据我检查过了，应该没问题。")


if __name__ == "__main__":
    main()
