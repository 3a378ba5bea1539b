"""Plain torch: a wayang golek (rod puppet) troupe records a 3-axis accelerometer taped to the
main rod of each puppet and wants to flag the perang (fight) scenes in a night's performance.
Each window is 64 samples (3 channels, 32 Hz): walking and talking scenes are slow sways
(0.5-1.5 Hz) with small jitter; fight scenes add two to five sharp strike bursts (a few
samples of large jerk, mostly on the vertical axis) on top of faster swinging. Some calm
windows have one accidental knock (a decoy), some fights only two strikes. GRU(3→48) on the
sequence, the last hidden state → linear → one logit, ``BCEWithLogitsLoss``, Adam 3e-3, batch
64, 12 epochs of 1536 windows, 256 validation windows. Per-epoch JSON lines
``perang_log.jsonl`` (``epoch`` / ``train_loss`` / ``val_loss`` / ``val_acc``); checkpoint
keys ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``.
Healthy: val loss 0.656 (epoch 1), 0.279, 0.165, 0.077, 0.053, 0.033, 0.035, 0.026, 0.039,
0.057 (epoch 10: a bump), 0.016, 0.006 (epoch 12); val acc 0.606 → 0.973 (2) → 0.934 (3) →
0.996 (6) → 0.961 (10) → 1.0 (12); 41 % of the windows are fights."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def windows(n, g):
    t = torch.arange(64) / 32
    y = (torch.rand(n, generator=g) < 0.4).float()
    freq = 0.5 + torch.rand(n, 1, generator=g) + 1.5 * y[:, None]
    phase = 2 * math.pi * torch.rand(n, 3, 1, generator=g)
    amp = torch.tensor([0.6, 0.3, 0.4])[None, :, None]
    x = amp * torch.sin(2 * math.pi * freq[:, None] * t + phase)
    x = x + 0.1 * torch.randn(n, 3, 64, generator=g)
    n_hits = torch.where(y > 0, torch.randint(2, 6, (n,), generator=g),
                         (torch.rand(n, generator=g) < 0.3).long())
    for i in range(n):
        for _ in range(int(n_hits[i])):
            s = int(torch.randint(2, 60, (1,), generator=g))
            x[i, 1, s:s + 3] += torch.tensor([2.5, -3.0, 1.2]) * (0.7 + 0.6 * float(torch.rand(1, generator=g)))
            x[i, 0, s:s + 3] += 0.6 * torch.randn(3, generator=g)
    return x.transpose(1, 2).contiguous(), y


class RodGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return RodGRU()


def main():
    from _twohundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1792, g)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    print("fight fraction", ytr.mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "perang_log.jsonl", "w")
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logit = model(xva)
            vl = F.binary_cross_entropy_with_logits(logit, yva).item()
            acc = ((logit > 0).float() == yva).float().mean().item()
        rec = {"epoch": epoch, "train_loss": round(tot / 1536, 5), "val_loss": round(vl, 5),
               "val_acc": round(acc, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12}, out / "rod_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="rod_gru.pt",
           log="perang_log.jsonl",
           what="GRU flagging fight scenes from a wayang golek rod accelerometer (healthy)")


if __name__ == "__main__":
    main()
