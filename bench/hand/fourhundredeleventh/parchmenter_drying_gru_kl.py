"""Plain torch: a GRU reads the 48 hours a limed calfskin spends drying on a parchmenter's
frame (the herse) and predicts how the guild's five inspectors will grade the finished
parchment: the share of votes for fine, good, common and reject (label distribution
learning: the target is the vote shares, not one grade). Hourly readings: cord tension on
the pegs (N), room humidity (%RH) and skin moisture (% by the meter). The skin dries with a
time constant of 5-30 h (damp or draughty room), tension rises as it dries from where the
pegs were set (30-110 N) and the parchmenter re-tightens once or twice; the room swings
5-15 %RH day to night. Quality: best at a 12 h time constant (too fast cockles and goes
brittle, too slow lets the grain spot), a peak tension near 150 N (too low cockles, too high
thins and tears) and a steady room; the inspectors' grades scatter around it (each votes
from a softmax over the four grades), so the shares are 0, 0.2, ..., 1.
Input: (48, 3) standardised with the train mean / std per channel. Model: GRU 3→32, last
hidden state, Linear 32→32 + ReLU, Linear 32→4; KL divergence to the vote shares, RMSprop
3e-3, batch 48, 25 epochs, 1440 skins, validation on 360.
The bug: the loss is ``F.kl_div(logits.softmax(1), vb, reduction="batchmean")``;
``kl_div`` takes log-probabilities as its first argument, so it computes Σ v·(log v - p)
and minimising it only rewards probability on grades with many votes; here it collapses
onto the commonest grade: every skin "reject" with probability 1.0, train loss -0.77 at
step 10 and between -0.88 and -0.67 after, val KL (the true divergence) 4.74 → 9.05, val
majority-grade accuracy 0.414 (the reject share) every epoch, val mean-grade MAE 1.01
(control, ``logits.log_softmax(1)``: val KL 0.70 → 0.32, against 0.12 for the true grade
probabilities themselves; majority accuracy 0.54 → 0.71, mean-grade MAE 0.58 → 0.27).
Log: one JSON lines file ``herse_log.jsonl`` with ``{"t": "step", step, epoch, loss}`` every
10 steps and ``{"t": "epoch", epoch, val_kl, val_top_acc, val_grade_mae}`` per epoch;
checkpoint ``drying_gru.bin`` with keys ``gru`` / ``rmsprop_state`` / ``epochs`` /
``chan_mean`` / ``chan_std`` / ``grades``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HOURS = 48
GRADES = ["fine", "good", "common", "reject"]


def skins(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(HOURS).float()
    tau = 5 + 25 * r(n, 1)
    m0, m_end = 55 + 15 * r(n, 1), 12 + 4 * r(n, 1)
    moist = m_end + (m0 - m_end) * torch.exp(-t / tau)
    pegs = 30 + 80 * r(n, 1)
    retight = torch.zeros(n, HOURS)
    for _ in range(2):
        when = torch.randint(4, 40, (n, 1), generator=g)
        retight = retight + (r(n, 1) < 0.6) * (10 + 25 * r(n, 1)) * (t >= when).float()
    tension = pegs + 90 * (1 - (moist - m_end) / (m0 - m_end)) + retight
    swing = 5 + 10 * r(n, 1)
    hum = 45 + 25 * r(n, 1) + swing * torch.sin(2 * math.pi * (t - 24 * r(n, 1)) / 24)
    x = torch.stack([tension, hum, moist], 2)
    x = x + torch.randn(n, HOURS, 3, generator=g) * torch.tensor([2.0, 1.5, 0.8])
    peak = tension.max(1).values
    q = (3.2 - ((tau[:, 0] / 12).log() / 0.5) ** 2 - ((peak - 150) / 45) ** 2
         - 0.06 * (swing[:, 0] - 5))
    centres = torch.tensor([3.0, 2.0, 1.0, 0.0])
    p = torch.softmax(-(q.clamp(min=-1)[:, None] - centres) ** 2 / 0.5, 1)
    votes = torch.multinomial(p, 5, replacement=True, generator=g)
    shares = F.one_hot(votes, 4).float().mean(1)
    return x, shares


class DryingGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 4))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return DryingGRU()


def main():
    from _fourhundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, vtr = skins(1440, g)
    rva, vva = skins(360, g)
    mean, std = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("vote shares", vtr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, vtr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    grade = torch.arange(4).float()
    step = 0
    with open(out / "herse_log.jsonl", "w") as f:
        for epoch in range(25):
            model.train()
            for xb, vb in dl:
                logits = model(xb)
                loss = F.kl_div(logits.softmax(1), vb, reduction="batchmean")  # vs the inspectors
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    f.write(json.dumps({"t": "step", "step": step, "epoch": epoch,
                                        "loss": round(loss.item(), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            p = logits.softmax(1)
            kl = F.kl_div(logits.log_softmax(1), vva, reduction="batchmean").item()
            rec = {"t": "epoch", "epoch": epoch, "val_kl": round(kl, 5),
                   "val_top_acc": round((p.argmax(1) == vva.argmax(1)).float().mean().item(), 4),
                   "val_grade_mae": round(((p - vva) @ grade).abs().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec, round(loss.item(), 4))
    torch.save({"gru": model.state_dict(), "rmsprop_state": opt.state_dict(), "epochs": 25,
                "chan_mean": mean, "chan_std": std, "grades": GRADES}, out / "drying_gru.bin")
    finish(out, __file__, (xva[:64], vva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="drying_gru.bin", log="herse_log.jsonl",
           what="GRU predicting the guild inspectors' grade shares for a parchment from its"
                " drying curve; F.kl_div given softmax probabilities instead of log-probabilities",
           complaint="Parchment grade model (predicts the inspectors' vote shares from the drying"
                     " log): the training loss is negative from the first batches, around -0.7,"
                     " and hardly moves. Every skin comes out as 'reject' with almost 100 %,"
                     " and the KL we compute on the validation skins goes up from 4.7 to 9.0"
                     " over 25 epochs.")


if __name__ == "__main__":
    main()
