"""Plain torch: an LSTM reads a whaling voyage's hourly log (lookout's 'blows' count, wind
force, ship's speed, sea state) and tags each hour with whether the boats were down (lowered
for a chase). The boats go down one to four hours after blows are sighted, if the wind is
below force 6, and stay down 2-5 hours; so the model must remember the sightings. The training
record is 16 voyages × 480 hours read side by side, cut into chunks of 24 hours (truncated
BPTT, 20 chunks an epoch, state reset at each epoch start, word-language-model style);
validation is 8 other voyages × 240 hours. LSTM(4→32), Linear(32→1), ``BCEWithLogitsLoss``;
SGD with momentum 0.9 written out by hand on ``p.data`` (lr 0.1, gradient norm clipped at 1),
6 epochs. A CSV row per chunk (``epoch``, ``chunk``, ``bce``, ``chunk_ms`` = process time of
the chunk) with ``val_bce`` and ``val_acc`` filled on each epoch's last row; checkpoint
``model_state_dict`` / ``optimizer_state_dict`` (lr, momentum, clip, buffers) / ``epoch`` /
``chunks_seen``.
The bug: the line meant to cut the graph between chunks is
``hidden = (hidden[0].detach(), hidden[1])``: the cell state keeps the graph of the whole epoch
so far. PyTorch then refused to backward a second time and ``retain_graph=True`` was added, so
every chunk back-propagates through all the chunks before it.
Learning itself is barely touched (train BCE 0.708 at the first chunk; val BCE 0.186, 0.101,
0.084, 0.079, 0.075, 0.072 and val accuracy 0.916 → 0.976 over the 6 epochs), but the time a
chunk takes grows along each epoch: about 2 ms at chunk 2, 5 ms at chunk 10, 8 ms at chunk 20,
13-22 ms at chunk 40 (``hidden = None`` at the next epoch start drops the graph, so it falls
back and grows again: a saw-tooth); 0.3-0.5 s of process time an epoch. ``chunk_ms`` is
measured and varies with the machine's load from run to run; every other number repeats.
Control (``hidden = (hidden[0].detach(), hidden[1].detach())``): 1.3-2.3 ms a chunk all along, 0.06-0.08 s an
epoch (5-6x less), val BCE 0.186, 0.103, 0.085, 0.080, 0.077, 0.074, val accuracy 0.917 →
0.974."""
import csv
import sys
import time

import torch
import torch.nn as nn

CHUNK = 12


def voyages(n, hours, g):
    blows = (torch.rand(n, hours, generator=g) < 0.04).float() * torch.randint(
        1, 4, (n, hours), generator=g)
    wind = (4 + 2.5 * torch.sin(torch.arange(hours)[None] / 30.0
                                + 6 * torch.rand(n, 1, generator=g))
            + torch.randn(n, hours, generator=g) * 0.7).clamp(0, 10)
    down = torch.zeros(n, hours)
    for i in range(n):
        t = 0
        while t < hours:
            if blows[i, t] > 0 and wind[i, t] < 6:
                start = t + int(torch.randint(1, 5, (1,), generator=g))
                stay = int(torch.randint(2, 6, (1,), generator=g))
                down[i, start:start + stay] = 1
                t = start + stay
            else:
                t += 1
    speed = torch.where(down > 0, 0.5, 5.0) + torch.randn(n, hours, generator=g) * 1.5
    sea = wind * 0.5 + torch.randn(n, hours, generator=g) * 0.5
    x = torch.stack([blows, (wind - 4) / 2, (speed - 4) / 2.5, (sea - 2) / 1.2], 2)
    return x, down


class Voyage(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x, hidden=None):
        out, hidden = self.lstm(x, hidden)
        return self.head(out)[..., 0], hidden


def build():
    torch.manual_seed(0)
    return Voyage()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = voyages(16, 480, g)
    xva, yva = voyages(72, 240, g)
    print("boats-down share", ytr.mean().item())
    model = build()
    loss_fn = nn.BCEWithLogitsLoss()
    lr, momentum, clip = 0.1, 0.9, 1.0
    bufs = [torch.zeros_like(p) for p in model.parameters()]
    rows, seen = [], 0
    for epoch in range(1, 7):
        model.train()
        hidden = None
        for k in range(480 // CHUNK):
            t0 = time.process_time()
            if hidden is not None:
                hidden = (hidden[0].detach(), hidden[1])
            xb, yb = xtr[:, k * CHUNK:(k + 1) * CHUNK], ytr[:, k * CHUNK:(k + 1) * CHUNK]
            logits, hidden = model(xb, hidden)
            loss = loss_fn(logits, yb)
            model.zero_grad()
            loss.backward(retain_graph=True)
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            for p, b in zip(model.parameters(), bufs, strict=True):
                b.mul_(momentum).add_(p.grad)
                p.data.add_(b, alpha=-lr)
            seen += 1
            rows.append({"epoch": epoch, "chunk": k + 1, "bce": round(loss.item(), 4),
                         "chunk_ms": round(1000 * (time.process_time() - t0), 1),
                         "val_bce": "", "val_acc": ""})
        model.eval()
        with torch.no_grad():
            lv, _ = model(xva[:8])
            rows[-1]["val_bce"] = round(loss_fn(lv, yva[:8]).item(), 4)
            rows[-1]["val_acc"] = round(((lv > 0).float() == yva[:8]).float().mean().item(), 4)
        print(rows[-1], [r["chunk_ms"] for r in rows[-20::5]])
    with open(out / "voyage_chunks.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": {"lr": lr, "momentum": momentum, "clip": clip,
                                         "momentum_buffer": bufs},
                "epoch": 6, "chunks_seen": seen}, out / "voyage_lstm.pt")
    finish(out, __file__, (xva[8:72, :48], yva[8:72, :48]),
           causes=["rnn_state_not_detached"], checkpoint="voyage_lstm.pt",
           log="voyage_chunks.csv",
           what="whaling-voyage boats-down LSTM, truncated BPTT that detaches h but not c",
           complaint=("My boats-down tagger for whaling voyage logs (LSTM over hourly entries, "
                      "chunks of 12 hours) gets slower and slower inside every epoch: chunk 2 "
                      "takes ~2 ms, chunk 40 takes ~15 ms, then it drops back at the next "
                      "epoch and climbs again. Val accuracy is fine (0.976). Is that just "
                      "the CPU throttling, or is something piling up?"))


if __name__ == "__main__":
    main()
