"""RMTPP-style neural temporal point process (Du et al. 2016) on job-submission streams of a
compute cluster. Each stream is 64 submissions; arrivals are self-exciting (a job often
spawns follow-up jobs), simulated as a Hawkes process with an exponential kernel. A GRU
(32 units) reads the inter-event times (as log(1 + dt)) and after the j-th event the intensity
is λ*(t) = exp(v·h_j + w (t − t_j) + b); the loss is the event-time negative log-likelihood
per event (log intensity at the next event minus its integral since the last one). Adam 3e-3,
batch 32 streams (shuffled), 12 epochs over 800 streams; ``tpp_log.csv`` holds per epoch the
mean train NLL per event, the validation NLL per event and the validation MAE of the predicted
median waiting time against the real one, on 200 held-out streams.
Bug: the held-out streams were exported from the other cluster (``CLUSTERS["batch"]``, a
batch-processing cluster with a slow trickle of submissions and long quiet gaps) while the
model is trained on the interactive cluster (``CLUSTERS["interactive"]``): the validation set
comes from another rate regime than anything the model is trained on."""
import csv
import math
import random

import torch
import torch.nn as nn

EVENTS, EPOCHS = 64, 12
CLUSTERS = {"interactive": (0.5, 1.6, 2.0),  # base rate, jump, decay (branching 0.8)
            "batch": (0.08, 0.15, 0.5)}       # (branching 0.3)


def hawkes(n, mu, alpha, beta, rng):
    """n streams of EVENTS inter-event times (Ogata thinning)."""
    out = torch.empty(n, EVENTS)
    for s in range(n):
        t, excite, gaps, last = 0.0, 0.0, [], 0.0
        while len(gaps) < EVENTS:
            bound = mu + excite
            w = rng.expovariate(bound)
            excite *= math.exp(-beta * w)
            t += w
            if rng.random() * bound <= mu + excite:
                gaps.append(t - last)
                last = t
                excite += alpha
        out[s] = torch.tensor(gaps)
    return out


class RMTPP(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.v = nn.Linear(hidden, 1)
        self.w = nn.Parameter(torch.tensor(-0.1))

    def forward(self, gaps):
        """gaps (B, L) inter-event times → (B, L) log base intensity a_j = v·h_j + b after each
        event (the intensity until the next event is exp(a_j + w·(t − t_j)))."""
        h, _ = self.gru(torch.log1p(gaps)[..., None])
        return self.v(h).squeeze(-1)


def event_nll(a, w, dt):
    """−log f(dt) per event for λ(t) = exp(a + w t) since the last event."""
    integral = torch.exp(a) * torch.expm1(w * dt) / w
    return -(a + w * dt - integral)


def median_wait(a, w):
    """The waiting time at which the compensator reaches log 2 (inf if it never does)."""
    arg = 1 + w * math.log(2) / torch.exp(a)
    return torch.where(arg > 0, torch.log(arg.clamp(min=1e-12)) / w, torch.full_like(a, 1e3))


def build():
    torch.manual_seed(0)
    return RMTPP()


def main():
    from _thirtysecond import finish, out_dir
    out = out_dir(__file__)
    rng = random.Random(0)
    train = hawkes(800, *CLUSTERS["interactive"], rng)
    val = hawkes(200, *CLUSTERS["batch"], rng)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(train), batch_size=32,
                                         shuffle=True,
                                         generator=torch.Generator().manual_seed(0))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "tpp_log.csv", "w", newline="")
    wr = csv.writer(log)
    wr.writerow(["epoch", "train_nll_per_event", "val_nll_per_event", "val_wait_mae"])
    for epoch in range(EPOCHS):
        model.train()
        tot, n = 0.0, 0
        for (gaps,) in loader:
            a = model(gaps[:, :-1])
            loss = event_nll(a, model.w, gaps[:, 1:]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, n = tot + loss.item() * len(gaps), n + len(gaps)
        model.eval()
        with torch.no_grad():
            a = model(val[:, :-1])
            vnll = event_nll(a, model.w, val[:, 1:]).mean().item()
            mae = (median_wait(a, model.w) - val[:, 1:]).abs().mean().item()
        wr.writerow([epoch, round(tot / n, 4), round(vnll, 4), round(mae, 4)])
        print(epoch, round(tot / n, 4), round(vnll, 4), round(mae, 4), round(model.w.item(), 3))
    log.close()
    torch.save({"rmtpp": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": EPOCHS, "streams_seen": EPOCHS * len(train)}, out / "rmtpp.pt")
    finish(out, __file__, (val[:64, :-1], val[:64, 1:]),
           causes=["distribution_shift"], checkpoint="rmtpp.pt", log="tpp_log.csv",
           what="RMTPP on Hawkes job streams, validation streams from another cluster's regime",
           complaint="RMTPP 训练了 12 轮，训练集上每个事件的 NLL 从 0.31 降到 −0.07，可验证集的 "
                     "NLL 从来没低于 4.5，第 4 轮以后还从 4.5 涨到 6.0；预测的等待时间平均误差 "
                     "一直在 8 左右，基本没法用")


if __name__ == "__main__":
    main()
