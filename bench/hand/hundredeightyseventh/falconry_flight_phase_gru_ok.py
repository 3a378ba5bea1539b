"""Plain torch: a GRU tells the flight phase of a falconry peregrine from 48 s of the GPS /
barometric telemetry pack on its back (one sample a second: height above the field, ground
speed, climb rate): soaring in a thermal (slow climb, speed swinging with each circle),
waiting on (holding high over the falconer, slow, small up-and-downs, then on some tracks a
short stoop that pulls out again) or a low tail-chase after quarry (low, fast, jinking).
Phases start at random heights and speeds, the GPS is noisy and some tracks drop samples (held
values). Channels standardised. GRU(3→32), Linear(32→3) on the last hidden state; Adam 2e-3,
cosine annealing over 15 epochs (stepped per epoch), gradient clipping at 1.0, batch 32, 15
epochs of 1024 tracks, shuffled.
Healthy: val accuracy 0.73, 0.84, 0.99 at epochs 1–3, then 0.97–1.00, 0.996 at epoch 15;
val loss 0.54 → 0.010 at epoch 9, then drifting up a little (0.012–0.020, 0.015 at 15) while
the train loss keeps falling to 0.004 as the cosine LR reaches 2e-5."""
import math

import torch
import torch.nn as nn

T = 48


def tracks(n, g):
    t = torch.arange(T).float()
    y = torch.randint(0, 3, (n,), generator=g)
    r = torch.rand(n, 6, generator=g)
    h = torch.zeros(n, T)
    v = torch.zeros(n, T)
    for i in range(n):
        if y[i] == 0:    # thermal soaring
            period = 10 + 8 * float(r[i, 0])
            ph = 2 * math.pi * float(r[i, 1])
            h[i] = 60 + 200 * r[i, 2] + (0.8 + 1.5 * r[i, 3]) * t + 3 * torch.sin(
                2 * math.pi * t / period + ph)
            v[i] = 9 + 3 * r[i, 4] + 4 * torch.sin(2 * math.pi * t / period + ph + 1.2)
        elif y[i] == 1:  # waiting on, sometimes a stoop that pulls out
            h[i] = 200 + 150 * r[i, 2] + 6 * torch.sin(2 * math.pi * t / 20 + 6 * r[i, 1])
            v[i] = 4 + 4 * r[i, 4] + torch.randn(T, generator=g)
            if r[i, 5] < 0.5:
                s0 = int(8 + 30 * r[i, 0])
                dive = torch.exp(-((t - s0 - 3) / 2.5) ** 2)
                h[i] = h[i] - 60 * torch.cumsum(dive, 0) / 2.5 / 1.77
                v[i] = v[i] + 40 * dive
        else:            # low tail-chase
            h[i] = 5 + 25 * r[i, 2] + 4 * torch.sin(2 * math.pi * t / (4 + 4 * r[i, 0]))
            v[i] = 16 + 6 * r[i, 4] + 4 * torch.randn(T, generator=g).clamp(-2, 2)
    h = h + 3 * torch.randn(n, T, generator=g)
    v = (v + 1.5 * torch.randn(n, T, generator=g)).clamp(min=0)
    climb = torch.diff(h, dim=1, prepend=h[:, :1])
    x = torch.stack([(h - 150) / 100, (v - 10) / 6, climb / 5], 2)
    drop = torch.rand(n, T, generator=g) < 0.05
    for k in range(1, T):
        x[:, k] = torch.where(drop[:, k, None], x[:, k - 1], x[:, k])
    return x, y


class PhaseGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return PhaseGRU()


def main():
    from _hundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tracks(1024, g)
    xva, yva = tracks(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=15)
    ce = nn.CrossEntropyLoss()
    best = 0.0
    with open(out / "epochs.tsv", "w") as f:
        f.write("epoch\tlr\tloss\tacc\tval_loss\tval_acc\n")
        for epoch in range(1, 16):
            model.train()
            tl = ta = 0.0
            for xb, yb in train:
                logits = model(xb)
                loss = ce(logits, yb)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tl += loss.item() * len(yb)
                ta += (logits.argmax(1) == yb).sum().item()
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl = ce(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
            best = max(best, va)
            f.write(f"{epoch}\t{lr:.6f}\t{tl / len(xtr):.4f}\t{ta / len(xtr):.4f}\t{vl:.4f}\t"
                    f"{va:.4f}\n")
            print(epoch, round(lr, 6), round(tl / len(xtr), 4), round(vl, 4), round(va, 4))
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "scheduler_state": sched.state_dict(), "epoch": 15, "best_val_acc": best},
               out / "phase_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="phase_gru.pt",
           log="epochs.tsv",
           what="GRU flight-phase classifier on falconry telemetry, cosine LR (healthy)")


if __name__ == "__main__":
    main()
