"""Plain torch: a GRU forecasts the current over a fjord's sill one hour ahead from a moored
current meter (10-minute rows: along-fjord current, sea level from the tide gauge at the mouth,
wind along the fjord). Underneath, the current is the semi-diurnal tide (12.42 h, its strength
following a spring-neap cycle) plus a wind-driven surface flow that builds up and dies away
over ~6 h, so the model has to remember the recent wind. The training record is 16 moorings ×
6 days 16 h read side by side (960 rows each), cut into chunks of 24 rows (4 h, truncated BPTT,
40 chunks an epoch, state reset at each epoch); validation is 8 other moorings × 3 days.
GRU(3→32), Linear(32→1); SGD with momentum 0.9 written out by hand (lr 0.02, gradient norm
clipped at 1), 2 epochs. A CSV row per chunk (``epoch``, ``chunk``, ``train_mse``,
``elapsed_s`` = process time since the start of training) with ``val_mse`` on each epoch's
last row; checkpoint ``gru`` / ``sgd_momentum`` (buffers, lr, momentum, clip) / ``epoch`` /
``chunks_seen``.
The bug: the line meant to cut the graph between chunks reads ``h.detach()`` (the result is
thrown away), so ``h`` still carries the graph of the whole epoch so far; PyTorch then refused to
backward a second time and ``retain_graph=True`` was added, so every chunk back-propagates
through all the chunks before it.
Val MSE 0.00915, 0.00330 (train MSE 0.36 at the first chunk, 0.002 at the end); the time a
chunk takes grows along each epoch (10 ms at chunk 2, ~40 ms at chunk 10, ~60 at 20, ~110 at
chunk 40; ``h = None`` at the next epoch start drops the graph, so it falls back to ~10–20 ms
and grows again: a saw-tooth), ``elapsed_s`` 2.29 s after epoch 1 and 4.73 s after epoch 2.
Control (``h = h.detach()``): 10 ms a chunk all along, ``elapsed_s`` 0.22 and 0.44 s, val MSE 0.00992, 0.00326. ``elapsed_s`` is measured and varies
with the machine's load from run to run; every other number repeats."""
import csv
import math
import sys
import time

import torch
import torch.nn as nn

MOORINGS, ROWS, BPTT, LEAD = 16, 960, 24, 6


def record(n, rows, g):
    t = torch.arange(rows + LEAD).float()
    amp = 0.5 + 0.3 * torch.rand(n, 1, generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    spring = 1 + 0.35 * torch.cos(2 * math.pi * t / 2126 + 6 * torch.rand(n, 1, generator=g))
    tide = amp * spring * torch.cos(2 * math.pi * t / 74.5 + phase)
    level = amp * spring * torch.sin(2 * math.pi * t / 74.5 + phase)
    gusts = (torch.rand(n, rows + LEAD, generator=g) < 0.01).float() * torch.randn(
        n, rows + LEAD, generator=g) * 3
    wind = torch.zeros(n, rows + LEAD)
    flow = torch.zeros(n, rows + LEAD)
    w = torch.zeros(n)
    f = torch.zeros(n)
    for i in range(rows + LEAD):
        w = 0.97 * w + gusts[:, i]
        f = f + (0.5 * w - f) / 36
        wind[:, i], flow[:, i] = w, f
    current = tide + flow
    x = torch.stack([current + 0.05 * torch.randn(current.shape, generator=g), level,
                     wind / 2], 2)[:, :rows]
    y = current[:, LEAD:].unsqueeze(2)
    return x, y


class SillGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x, h=None):
        out, h = self.gru(x, h)
        return self.head(out), h


def build():
    torch.manual_seed(0)
    return SillGRU()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = record(MOORINGS, ROWS, g)
    xva, yva = record(8, 432, g)
    model = build()
    lr, momentum, clip = 0.02, 0.9, 1.0
    bufs = [torch.zeros_like(p) for p in model.parameters()]
    rows, seen, t0 = [], 0, time.process_time()
    for epoch in range(2):
        model.train()
        h = None
        for c, i in enumerate(range(0, ROWS, BPTT)):
            pred, h = model(xtr[:, i:i + BPTT], h)
            h.detach()
            loss = nn.functional.mse_loss(pred, ytr[:, i:i + BPTT])
            model.zero_grad()
            loss.backward(retain_graph=True)
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            for p, b in zip(model.parameters(), bufs, strict=True):
                b.mul_(momentum).add_(p.grad)
                p.data.add_(b, alpha=-lr)
            seen += 1
            row = {"epoch": epoch, "chunk": c, "train_mse": f"{loss.item():.5f}",
                   "elapsed_s": f"{time.process_time() - t0:.2f}", "val_mse": ""}
            if c == ROWS // BPTT - 1:
                model.eval()
                with torch.no_grad():
                    row["val_mse"] = f"{nn.functional.mse_loss(model(xva)[0], yva).item():.5f}"
                print(row)
            rows.append(row)
    with open(out / "sill_current.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"gru": model.state_dict(),
                "sgd_momentum": {"buffers": bufs, "lr": lr, "momentum": momentum, "clip": clip},
                "epoch": 2, "chunks_seen": seen}, out / "sill_gru.pt")
    finish(out, __file__, (xva.reshape(64, 54, 3), yva.reshape(64, 54, 1)),  # 9-h windows
           causes=["rnn_state_not_detached"], checkpoint="sill_gru.pt", log="sill_current.csv",
           what="fjord sill current GRU, truncated BPTT whose h.detach() result is discarded"
                " (retain_graph=True)",
           complaint=("GRU forecasting the current over our fjord sill one hour ahead from the "
                      "current meter, tide gauge and wind, trained on 16 moorings side by side in "
                      "4-hour chunks. The forecasts are good (val MSE 0.0033) but training is "
                      "far too slow for a 6-day record: 4.7 s of CPU for two passes, and every "
                      "chunk takes longer than the one before, from 10 ms at the start of an "
                      "epoch to over 100 ms at the end. We want to train on two years of data "
                      "from all moorings. Is the GRU on CPU the problem?"))


if __name__ == "__main__":
    main()
