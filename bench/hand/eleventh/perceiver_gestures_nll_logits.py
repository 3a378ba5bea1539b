"""A Perceiver-style classifier for wrist-IMU gestures (6 channels x 64 steps, 5 gestures:
each a burst of a gesture-specific frequency on gesture-specific axes, at a random time,
phase and strength, over sensor noise and drift), in a plain loop: the 64 time steps become
tokens (Linear 6 -> 32 plus a learned position), 8 learned latents read them through one
cross-attention, one self-attention block over the latents, mean-pool, linear head. AdamW
2e-3 (weight decay 0.05), batch 32, 8 epochs, a CSV per epoch. Bug: the loss is
``F.nll_loss(logits, y)`` on the raw head output -- NLLLoss wants log-probabilities (a
``log_softmax`` first, or ``cross_entropy``); on logits it is just -logit[y], which is
unbounded below, so the "loss" goes negative and keeps falling as the logits grow: train loss
-2.5 -> -88.6, val loss -100, val accuracy 0.80 (``cross_entropy``: 0.993, val loss 0.03)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T, C, CLASSES = 64, 6, 5


def gestures(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    t = torch.arange(T, dtype=torch.float)
    x = 0.4 * torch.randn(n, C, T, generator=g) + torch.cumsum(
        0.05 * torch.randn(n, C, T, generator=g), 2)
    freq = torch.tensor([0.08, 0.13, 0.2, 0.27, 0.35])
    axes = torch.tensor([[0, 1], [1, 2], [0, 3], [4, 5], [2, 5]])
    start = torch.randint(0, T - 32, (n,), generator=g)
    for i in range(n):
        k = int(y[i])
        env = ((t >= start[i]) & (t < start[i] + 32)).float()
        amp = 0.6 + 0.8 * torch.rand(1, generator=g)
        phase = 2 * math.pi * torch.rand(1, generator=g)
        x[i, axes[k]] += amp * env * torch.sin(2 * math.pi * freq[k] * t + phase)
    return x.transpose(1, 2).contiguous(), y  # (N, T, C)


class Perceiver(nn.Module):
    def __init__(self, d=32, latents=8):
        super().__init__()
        self.embed = nn.Linear(C, d)
        self.pos = nn.Parameter(0.02 * torch.randn(T, d))
        self.latents = nn.Parameter(0.02 * torch.randn(latents, d))
        self.cross = nn.MultiheadAttention(d, 4, batch_first=True)
        self.norm_q, self.norm_kv = nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_block = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.1, batch_first=True,
                                                     norm_first=True)
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, CLASSES))

    def forward(self, x):  # (B, T, C)
        kv = self.norm_kv(self.embed(x) + self.pos)
        q = self.latents.expand(len(x), -1, -1)
        z = q + self.cross(self.norm_q(q), kv, kv, need_weights=False)[0]
        return self.head(self.self_block(z).mean(1))


def build():
    torch.manual_seed(0)
    return Perceiver()


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = gestures(1600, g)
    vx, vy = gestures(400, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    f = open(out / "history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    for epoch in range(8):
        model.train()
        total = 0.0
        for idx in torch.randperm(len(y), generator=g).split(32):
            loss = F.nll_loss(model(x[idx]), y[idx])  # BUG: logits, not log-probabilities
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = F.nll_loss(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, total / len(y), vl, acc])
        print(epoch, round(total / len(y), 3), round(vl, 3), round(acc, 3))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "perceiver_ep8.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["loss_input_wrong"],
           checkpoint="perceiver_ep8.pt", log="history.csv",
           what="Perceiver gesture classifier, F.nll_loss on raw logits",
           complaint="my gesture classifier loss is negative and keeps going down, -2.5 after the "
                     "first epoch and about -90 after 8, and val accuracy is stuck around 80 %. "
                     "how can a classification loss be negative?")


if __name__ == "__main__":
    main()
