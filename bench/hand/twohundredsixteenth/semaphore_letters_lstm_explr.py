"""Plain torch: an LSTM reads a flag-semaphore signaller from a pose tracker, the two arm angles
(as sin/cos, 4 numbers a frame) over 40 frames, and names the letter sent (16 letters, A–P).
Each letter is a pair of arm positions at multiples of 45°; the signaller swings from the rest
pose into it at an individual speed, holds it for a random time and jitters (tracker noise,
sway), and half the clips start with the end of the previous letter. LSTM(4→48),
Linear(48→16) on the last state; Adam 1.5e-3, batch 64, 25 epochs of 1280 clips, 256 for
validation, ``ExponentialLR`` stepped once per epoch.
Log: per-epoch JSON lines (``ep``, ``lr``, ``train_loss``, ``val_loss``, ``val_acc``).
Checkpoint keys ``model_state``, ``opt_state``, ``sched_state``, ``ep``.
The bug: ``ExponentialLR(opt, gamma=0.5)`` – the decay meant to take 25 epochs to fall by ~4×
(0.95) halves the rate every epoch: 1.5e-3, 7.5e-4, 3.75e-4, … 9e-11 at the end; after epoch 7
nothing moves. Train loss 2.71 → 1.91 and stuck there, val accuracy 0.65 from epoch 8 on (val
loss 1.93). Control (``gamma=0.95``): val accuracy 0.93 at epoch 5, 0.97–1.00 from epoch 10,
val loss 0.10 at epoch 25 (train loss 0.04)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 40
# letter -> (right arm, left arm) in units of 45°, A..P of the semaphore alphabet
LETTERS = [(5, 0), (6, 0), (7, 0), (0, 4), (0, 3), (0, 2), (0, 1), (6, 5), (7, 5), (0, 6),
           (4, 0), (3, 0), (2, 0), (1, 0), (6, 7), (4, 5)]


def clips(n, g):
    y = torch.randint(0, 16, (n,), generator=g)
    prev = torch.randint(0, 16, (n,), generator=g)
    t = torch.arange(T).float()
    x = torch.zeros(n, T, 4)
    for i in range(n):
        r, lft = LETTERS[int(y[i])]
        pr, pl = LETTERS[int(prev[i])] if torch.rand(1, generator=g) < 0.5 else (0, 0)
        start = float(torch.randint(4, 16, (1,), generator=g))
        speed = 0.3 + 0.5 * float(torch.rand(1, generator=g))
        w = torch.sigmoid((t - start) * speed * 2)
        ar = (1 - w) * pr * math.pi / 4 + w * r * math.pi / 4
        al = (1 - w) * pl * math.pi / 4 + w * lft * math.pi / 4
        ar = ar + 0.3 * torch.randn(T, generator=g)
        al = al + 0.3 * torch.randn(T, generator=g)
        x[i] = torch.stack([ar.sin(), ar.cos(), al.sin(), al.cos()], 1)
    return x, y


class SemaphoreLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 48, batch_first=True)
        self.fc = nn.Linear(48, 16)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.fc(h[:, -1])


def build():
    torch.manual_seed(0)
    return SemaphoreLSTM()


def main():
    from _twohundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(1536, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1.5e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with open(out / "semaphore.jsonl", "w") as f:
        for ep in range(1, 26):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot += loss.item() * len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"ep": ep, "lr": lr, "train_loss": round(tot / len(ytr), 4),
                   "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 25}, out / "semaphore_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="semaphore_lstm.pt", log="semaphore.jsonl",
           what="flag-semaphore letter LSTM, ExponentialLR gamma 0.5 per epoch",
           complaint=("Semaphore reader for our signalling club's training videos (arm angles"
                      " from a pose tracker, 16 letters): the loss drops in the first "
                      "few epochs and then sits at 1.91 for the remaining 18, validation "
                      "accuracy stuck at 0.65. Adam 1.5e-3 with a gentle exponential decay. Is an "
                      "LSTM just the wrong model for this?"))


if __name__ == "__main__":
    main()
