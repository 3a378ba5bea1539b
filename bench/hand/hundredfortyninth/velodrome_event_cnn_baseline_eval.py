"""Plain torch: which track event a velodrome effort comes from (flying 200 m sprint, keirin,
individual pursuit, scratch race), from a 96-sample trace (1 Hz) of the power meter in W,
cadence in rpm and speed in km/h, as the head unit exports them (no standardisation: the
first layer is a ``BatchNorm1d`` meant to do it). A 1-D CNN: BN → conv 3→32 k7 → BN → ReLU →
dropout 0.3 → conv 32→32 k5 → BN → ReLU → global average → dropout 0.3 → linear 4. SGD lr 0.05,
momentum 0.9, weight decay 5e-4, batch 64, 12 epochs of 1024 efforts.
Bug (train_in_eval_mode): before the loop, ``evaluate(model, ...)`` prints the untrained
baseline accuracy; it calls ``model.eval()`` and the loop never calls ``model.train()``, so every
BatchNorm normalises with its initial running statistics (mean 0, var 1) and dropout is off
during training. Control (``model.train()`` at the top of each epoch): val acc 1.00, val loss 0.011.
The broken run: NaN loss from the first epoch, val acc 0.25 (chance)."""
import json
import sys

import torch
import torch.nn as nn

T = 96


def efforts(n, g):
    y = torch.randint(0, 4, (n,), generator=g)  # sprint, keirin, pursuit, scratch
    t = torch.arange(T).float()
    x = torch.zeros(n, 3, T)
    for i in range(n):
        k = int(y[i])
        base = [4.0, 5.0, 4.5, 3.8][k] + 0.4 * float(torch.randn(1, generator=g))
        p = base * torch.ones(T)
        if k == 0:  # wind-up then one huge 12-15 s effort
            s = int(torch.randint(50, 75, (1,), generator=g))
            p[s:s + 14] += 9.0
        elif k == 1:  # derny pacing, then a long sprint
            s = int(torch.randint(40, 60, (1,), generator=g))
            p[s:s + 30] += 5.0
        elif k == 2:  # standing start, then flat high power
            p[:8] += 7.0
            p[8:] += 1.5
        else:  # repeated attacks
            p += 2.5 * (torch.sin(t / 4 + 6.28 * float(torch.rand(1, generator=g))) > 0.7).float()
        p = p + 0.6 * torch.randn(T, generator=g)
        cad = 9.5 + 0.35 * p + 0.3 * torch.randn(T, generator=g)
        spd = 4.0 + 0.25 * torch.cumsum(p - p.mean(), 0) / T * 4 + 0.2 * torch.randn(T, generator=g)
        x[i] = torch.stack([100 * p, 10 * cad, 10 * spd])  # W, rpm, km/h
    return x, y


class EventCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.BatchNorm1d(3),
            nn.Conv1d(3, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU())
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.drop(self.net(x).mean(-1)))


def build():
    torch.manual_seed(0)
    return EventCNN()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return nn.functional.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    from _hundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = efforts(1024, g)
    xva, yva = efforts(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    bl, ba = evaluate(model, xva, yva)
    print("baseline (untrained):", bl, ba, file=sys.stderr)
    hist = [{"epoch": 0, "valid_loss": bl, "valid_acc": ba}]
    for epoch in range(12):
        perm = torch.randperm(len(xtr))
        losses = []
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        vl, va = evaluate(model, xva, yva)
        hist.append({"epoch": epoch + 1, "train_loss": sum(losses) / len(losses),
                     "train_loss_last_batch": losses[-1], "valid_loss": vl, "valid_acc": va})
        print(hist[-1], file=sys.stderr)
    with open(out / "history.jsonl", "w") as f:
        for h in hist:
            f.write(json.dumps(h) + "\n")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12,
                "history": hist}, out / "velodrome_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="velodrome_cnn.ckpt", log="history.jsonl",
           what="BN+dropout 1-D CNN for track events; model.eval() in a baseline helper, "
                "model.train() never called",
           complaint="Training my track-event CNN gives NaN right away: the untrained baseline "
                     "printed val loss 54.9 / acc 0.25, and from epoch 1 on train and valid loss are "
                     "nan and valid accuracy stays at 0.25 for all 12 epochs. It has BatchNorm on "
                     "the input, so I thought the raw watts were fine.")


if __name__ == "__main__":
    main()
