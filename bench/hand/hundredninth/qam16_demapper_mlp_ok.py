"""A learned 16-QAM soft demapper for a simulated receiver: Gray-coded 16-QAM symbols (unit
average power) through a channel with AWGN at Es/N0 16 dB, a residual carrier phase error
(phase jitter σ 1.5° per symbol around a fixed 4° offset) and IQ imbalance (gain 1.05,
phase skew 3°); the receiver sees one symbol's (I, Q). An MLP (2 → 64 → 64 → 16, SiLU) gives the symbol posteriors. Adam 2e-3,
batch 256, 12 epochs of 20 000 symbols; a JSON-lines log per epoch with train NLL, val NLL,
symbol error rate and bit error rate (Gray bits from the posterior argmax).
Healthy: SER is set by the noise, not the model: 0.016 after epoch 1, then 0.009–0.012
(0.0114 at epoch 12, BER 0.0029); the val NLL sits below the epoch-mean train NLL for the first
three epochs (0.47 vs 1.59 at epoch 1: it is measured after the epoch), then both settle near
0.025–0.030 (train 0.0248, val 0.0302 at the end)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

GRAY = [0, 1, 3, 2]  # 2 bits -> PAM level index
LEVELS = torch.tensor([-3.0, -1.0, 1.0, 3.0]) / math.sqrt(10)


def constellation():
    pts = torch.zeros(16, 2)
    for s in range(16):
        pts[s, 0] = LEVELS[GRAY[s >> 2]]
        pts[s, 1] = LEVELS[GRAY[s & 3]]
    return pts


def channel(n, g, esn0_db=16.0):
    y = torch.randint(0, 16, (n,), generator=g)
    x = constellation()[y]
    phase = torch.randn(n, generator=g) * math.radians(1.5) + math.radians(4)
    c, s = torch.cos(phase), torch.sin(phase)
    r = torch.stack([c * x[:, 0] - s * x[:, 1], s * x[:, 0] + c * x[:, 1]], 1)
    r[:, 0] = 1.05 * r[:, 0]
    r[:, 1] = r[:, 1] + math.sin(math.radians(3)) * r[:, 0]
    sigma = math.sqrt(10 ** (-esn0_db / 10) / 2)
    return r + sigma * torch.randn(n, 2, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 16))


def bit_errors(pred, y):
    diff = pred ^ y
    return sum(((diff >> b) & 1).sum().item() for b in range(4))


def main():
    from _hundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = channel(20000, g)
    xva, yva = channel(5000, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    log = open(out / "demapper.jsonl", "w")
    for ep in range(12):
        net.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 256):
            idx = perm[i:i + 256]
            loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            lo = net(xva)
            pred = lo.argmax(1)
            rec = {"epoch": ep + 1, "train_nll": round(tot / len(xtr), 5),
                   "val_nll": round(F.cross_entropy(lo, yva).item(), 5),
                   "ser": round((pred != yva).float().mean().item(), 5),
                   "ber": round(bit_errors(pred, yva) / (4 * len(yva)), 6)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": net.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "esn0_db": 16.0, "order": 16}, out / "demapper_qam16.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=[],
           checkpoint="demapper_qam16.pt", log="demapper.jsonl",
           what="MLP soft demapper for 16-QAM over AWGN + phase noise + IQ imbalance (healthy)")


if __name__ == "__main__":
    main()
