"""Virtual gear indicator for an old automatic gearbox that reports no gear: a GRU reads an
8-s drive log at 25 Hz (200 steps) — engine speed ((rpm ÷ 1000 − 3) ÷ 1.5) and wheel speed
(km/h ÷ 50 − 1.5) through an accelerating run with 3 up-shifts — and names the engaged gear
(1–5) at every step. Some logs hold a clutch slip (the engine flares 1500–2500 rpm above the
ratio line for 0.8 s while the wheel speed sags) or a missed shift (the engine flares to the
limiter); during those the gear is only known from what came before. A GRU (hidden 48), a
linear head on every step, cross-entropy over all 200 steps. Plain SGD lr 8 (the recipe of an
old word-level LSTM language model: SGD at a large rate, gradient norm clipped at 0.5),
batch 32, 10 epochs of 512 logs; a CSV per step ("step", "epoch", "loss", "grad_norm") and a
CSV per epoch ("epoch", "val_loss", "val_acc").
Bug: the clipping line of the recipe was left out. The gradient norm is 3.6 at step 1, 9.2 at
step 4, 522 at step 5 and 9.3e10 at step 6; after that the loss never comes back: step losses
of 10–40 (ln 5 = 1.6) to the end, val loss 29.5, 32.1, 40.1, … 13.9 and val accuracy
0.19–0.55 (0.53 at epoch 10). The control (the same script with
``torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)`` after ``backward``) reaches val
accuracy 0.95, val loss 0.23; with lr 3 and no clipping the run blows up in epoch 1 (val loss
15.6) but recovers to 0.96, so lr 8 was kept."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 200


def drives(n, g):
    t = torch.arange(T).float() / 25
    y = torch.randint(0, 3, (n,), generator=g)
    ratios = torch.tensor([3.6, 2.1, 1.4, 1.0, 0.8])
    x = torch.zeros(n, T, 2)
    gears = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        acc = 2.5 + 1.5 * float(torch.rand(1, generator=g))
        v = (15 + acc * t * 3.6).clamp(max=140)  # km/h
        gear = torch.zeros(T, dtype=torch.long)
        shifts = torch.sort(torch.rand(3, generator=g) * 6 + 1).values
        for s in shifts:
            gear[t >= s] += 1
        gear = gear.clamp(max=4)
        gears[i] = gear
        rpm = v * ratios[gear] * 4.1 / 0.32 / 3.6 / 6.283 * 60 / 1000
        k = int(torch.randint(0, 3, (1,), generator=g))
        s = float(shifts[k])
        m = (t >= s) & (t < s + 0.8)
        if y[i] == 1:
            rpm = rpm + m.float() * (1.5 + 1.0 * float(torch.rand(1, generator=g)))
            v = v - m.float() * torch.cumsum(m.float(), 0) * 0.3
        elif y[i] == 2:
            rpm = torch.where(m, torch.full_like(rpm, 6.5), rpm)
        x[i, :, 0] = (rpm - 3.0) / 1.5 + 0.05 * torch.randn(T, generator=g)
        x[i, :, 1] = v / 50 - 1.5 + 0.02 * torch.randn(T, generator=g)
    return x, gears


class ShiftGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Linear(48, 5)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)  # the gear at every step


def build():
    torch.manual_seed(0)
    return ShiftGRU()


def main():
    from _hundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = drives(768, g)
    xtr, ytr, xva, yva = x[:512], y[:512], x[512:], y[512:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=8.0)
    fs = open(out / "steps.csv", "w", newline="")
    fe = open(out / "epochs.csv", "w", newline="")
    ws, we = csv.writer(fs), csv.writer(fe)
    ws.writerow(["step", "epoch", "loss", "grad_norm"])
    we.writerow(["epoch", "val_loss", "val_acc"])
    step = 0
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(512, generator=g)
        for i in range(0, 512, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]).flatten(0, 1), ytr[idx].flatten())
            opt.zero_grad()
            loss.backward()
            gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
            opt.step()
            step += 1
            ws.writerow([step, epoch, round(loss.item(), 5), round(gn, 4)])
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(F.cross_entropy(lo.flatten(0, 1), yva.flatten()).item(), 5),
                   round((lo.argmax(-1) == yva).float().mean().item(), 4)]
        we.writerow(row)
        print(row, "last grad norm", round(gn, 3))
    fs.close()
    fe.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "step": step}, out / "shift_gru.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="shift_gru.tar", log="steps.csv",
           what="gearbox shift-fault GRU on 200-step traces, SGD lr 0.5 momentum, no grad clipping",
           complaint="Training the gear-indicator GRU on 200-step drive logs fell apart in the first "
                     "epoch: the gradient norm I log went 3.6, 9, 522 and then 9e10 at step 6, and "
                     "since then the loss jumps between 10 and 40 and never comes down. After 10 "
                     "epochs it gets the gear right only 53 % of the time.")


if __name__ == "__main__":
    main()
