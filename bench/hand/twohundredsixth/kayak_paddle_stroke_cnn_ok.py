"""Plain torch: a 1-D CNN with BatchNorm names a sea-kayak paddle stroke (forward, sweep, draw,
low brace) from 96 samples (about 2 s) of a paddle-shaft IMU: shaft roll rate, pitch rate and
acceleration along the shaft. Each stroke type is a different pattern in the channels and
timing: a forward stroke is a short, regular left-right alternation (about 1 s a side); a sweep
is a long, slow roll arc; a draw is a repeated sideways pull with little roll; a low brace is
one sharp pitch spike after a quiet stretch. Paddling cadence, amplitude, the moment the
window starts and sensor noise vary. Conv(3→16,k7)-BN-ReLU-pool, Conv(16→32,k5)-BN-ReLU-pool,
Conv(32→32,k3)-BN-ReLU, global average pool, Linear(32→4); SGD momentum 0.9 lr 0.05, weight
decay 1e-4, cosine decay over 12 epochs of 1024 windows, batch 32. A JSON line per epoch
(``epoch``, ``train_loss``, ``val_loss``, ``val_acc``); checkpoint ``model_state_dict`` /
``optimizer_state_dict`` / ``scheduler_state_dict`` / ``epoch``.
Healthy: val accuracy 0.645, 0.938, 0.953, 0.965, a dip to 0.891 at epoch 5 (val loss 0.22),
then 0.97–0.98 (0.973 at 12); val loss 0.755 → 0.062; train loss 0.974 → 0.040, a little below
the val loss at the end."""
import json
import math

import torch
import torch.nn as nn

T = 96


def strokes(n, g):
    t = torch.arange(T).float()[None]
    y = torch.randint(0, 4, (n,), generator=g)
    u = lambda a, b: a + (b - a) * torch.rand(n, 1, generator=g)  # noqa: E731
    period, phase, amp = u(40, 56), u(0, 2 * math.pi), u(0.7, 1.3)
    w = 2 * math.pi * t / period + phase
    roll, pitch, acc = torch.zeros(n, T), torch.zeros(n, T), torch.zeros(n, T)
    m = y == 0  # forward: left-right alternation, catch spike in acceleration each side
    roll[m] = (0.6 * torch.sin(w)).expand(n, T)[m]
    acc[m] = (torch.relu(torch.cos(2 * w)) ** 3).expand(n, T)[m] * 1.5
    m = y == 1  # sweep: slow wide roll arc
    roll[m] = (1.2 * torch.sin(w / 2.2)).expand(n, T)[m]
    pitch[m] = (0.4 * torch.cos(w / 2.2)).expand(n, T)[m]
    acc[m] = 0.4
    m = y == 2  # draw: repeated sideways pull, little roll
    acc[m] = (torch.sin(2 * w) * 1.0).expand(n, T)[m]
    roll[m] = (0.15 * torch.sin(w)).expand(n, T)[m]
    m = y == 3  # low brace: quiet, then one sharp pitch spike
    at = u(20, 76)
    spike = torch.exp(-((t - at) / 3) ** 2)
    pitch[m] = (-2.0 * spike).expand(n, T)[m]
    acc[m] = (0.8 * spike).expand(n, T)[m]
    x = torch.stack([roll, pitch, acc], 1) * amp[:, :, None]
    return x + 1.0 * torch.randn(x.shape, generator=g), y


def block(i, o, k):
    return [nn.Conv1d(i, o, k, padding=k // 2), nn.BatchNorm1d(o), nn.ReLU()]


def build():
    torch.manual_seed(0)
    return nn.Sequential(*block(3, 16, 7), nn.MaxPool1d(2), *block(16, 32, 5), nn.MaxPool1d(2),
                         *block(32, 32, 3), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                         nn.Linear(32, 4))


def main():
    from _twohundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strokes(1024, g)
    xva, yva = strokes(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "strokes.jsonl", "w") as f:
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(1024, generator=g)
            total = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item()
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                rec = {"epoch": epoch, "train_loss": round(total / 32, 4),
                       "val_loss": round(loss_fn(logits, yva).item(), 4),
                       "val_acc": round((logits.argmax(1) == yva).float().mean().item(), 4)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict(), "epoch": 12}, out / "stroke_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="stroke_cnn.pt",
           log="strokes.jsonl",
           what="1-D CNN with BatchNorm naming sea-kayak paddle strokes from a shaft IMU (healthy)")


if __name__ == "__main__":
    main()
