"""Gesture classification from a 1-axis accelerometer trace with a Clockwork RNN (Koutník et al.,
2014) on synthetic data: 4 gestures (shake, swing, tilt-and-hold, double tap) as 64-step traces
mixing a slow posture drift with fast oscillations or taps, random amplitude, tempo and onset,
sensor noise 0.15. The Clockwork RNN: 32 tanh units in 4 modules of 8 with periods 1, 2, 4, 8;
module i only updates at steps t with t % period_i == 0 and only reads modules at least as slow
(block upper-triangular recurrent matrix); a linear head on the last state. Cross-entropy, batch
32, 6 epochs of 960 traces; JSON lines log, the running train loss every 10 steps and val loss /
accuracy at each epoch end.
Bug: the paper trained with SGD at lr 0.1 (momentum); the script switched to Adam and kept
``lr=0.1``. Adam's steps are ~lr per weight regardless of the gradient scale, so every weight moves
by 0.1 per step: the tanh units saturate, the recurrent matrix blows up and the loss jumps around
near / above chance (ln 4 = 1.39) instead of falling. Control (Adam 1e-2): val acc 0.85-0.90."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T, N_MOD, MOD = 64, 4, 8
PERIODS = (1, 2, 4, 8)
LR = 0.1


def gestures(n, g):
    t = torch.arange(T).float()[None]
    y = torch.randint(0, 4, (n,), generator=g)
    amp = 0.6 + 0.8 * torch.rand(n, 1, generator=g)
    tempo = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    onset = torch.randint(4, 20, (n, 1), generator=g).float()
    drift = 0.5 * torch.sin(t / 40 * tempo + 6.28 * torch.rand(n, 1, generator=g))
    on = (t >= onset).float()
    shake = torch.sin(t * 1.9 * tempo) * on
    swing = torch.sin((t - onset) * 0.35 * tempo) * on
    tilt = torch.tanh((t - onset) / 4) * on
    taps = (torch.exp(-(t - onset - 2) ** 2 / 2) + torch.exp(-(t - onset - 10 / tempo) ** 2 / 2)) * 2
    sig = torch.stack([shake, swing, tilt, taps])[y, torch.arange(n)]
    x = drift + amp * sig + 0.15 * torch.randn(n, T, generator=g)
    return x[..., None], y


class ClockworkRNN(nn.Module):
    def __init__(self, n_in=1, n_cls=4):
        super().__init__()
        h = N_MOD * MOD
        self.inp = nn.Linear(n_in, h)
        self.rec = nn.Linear(h, h, bias=False)
        nn.init.orthogonal_(self.rec.weight, gain=0.9)
        block = torch.zeros(h, h)
        for i in range(N_MOD):  # module i (row) reads modules j >= i (slower or equal)
            block[i * MOD:(i + 1) * MOD, i * MOD:] = 1
        self.register_buffer("block", block)
        self.register_buffer("period", torch.tensor(PERIODS).repeat_interleave(MOD))
        self.head = nn.Linear(h, n_cls)

    def forward(self, x):
        b = x.shape[0]
        h = x.new_zeros(b, N_MOD * MOD)
        w = self.rec.weight * self.block
        for t in range(x.shape[1]):
            new = torch.tanh(self.inp(x[:, t]) + h @ w.t())
            active = (t % self.period == 0).float()
            h = active * new + (1 - active) * h
        return self.head(h)


def build():
    torch.manual_seed(0)
    return ClockworkRNN()


def main():
    from _seventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = gestures(1200, g)
    xtr, ytr, xva, yva = x[:960], y[:960], x[960:], y[960:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    log = open(out / "cwrnn_train.jsonl", "w")
    step, run = 0, []
    for epoch in range(6):
        model.train()
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            run.append(loss.item())
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "loss": round(sum(run) / len(run), 4)}) + "\n")
                run = []
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = {"step": step, "epoch": epoch, "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"cwrnn": model.state_dict(), "adam": opt.state_dict(), "global_step": step,
                "periods": list(PERIODS)}, out / "cwrnn_last.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"], checkpoint="cwrnn_last.pth",
           log="cwrnn_train.jsonl", what="Clockwork RNN gesture classifier, Adam at the SGD recipe's lr 0.1",
           complaint="My clockwork RNN for wrist gestures won't learn: after 6 epochs the loss is "
                     "still bouncing around 1.4-2 and validation accuracy is barely above 25%. "
                     "Same data works with a simple 1-D CNN.")


if __name__ == "__main__":
    main()
