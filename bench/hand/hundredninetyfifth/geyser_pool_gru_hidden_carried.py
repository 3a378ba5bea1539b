"""Plain torch: a GRU forecasts the next minute of a geyser's pool from the monitoring station:
pool water level, pool temperature, discharge-channel temperature and ground tremor, one row a
minute. Underneath, the plumbing recharges (heat builds at a rate that drifts from cycle to
cycle, the pool slowly fills and the tremor grows as the steam bubbles collapse), and when the
heat crosses a threshold the geyser erupts for 3–6 minutes (level drops, the channel runs hot,
tremor spikes) and the cycle restarts: the model has to keep track of the hidden recharge. The
training record (12 800 minutes) is cut into 16 parallel columns and read in chunks of 20
minutes (truncated BPTT, 40 chunks an epoch, hidden state reset at each epoch start);
validation is another 2 560 minutes cut into 64 columns of 40. GRU(4→40), Linear(40→2) (next
level change and next tremor), plain SGD written out by hand (``p.data -= lr * p.grad``,
lr 0.3), 2 epochs; a CSV row per chunk (``epoch``, ``chunk``, ``loss``, ``cpu_ms``) and
``val_loss`` on each epoch's last row.
The bug: ``h`` goes from chunk to chunk as the GRU returns it, and ``retain_graph=True`` was
added when PyTorch complained about backward through the graph a second time: every chunk
back-propagates through the whole epoch so far. The chunk time grows linearly inside each
epoch (6 ms at chunk 0, ~50 ms at chunk 20, ~90–100 ms at chunk 39, then back down at the next
epoch: a saw-tooth), 5.3–5.8 s CPU for the run; val loss 0.226, 0.176 (train 1.08 → 0.13).
Control (``model(xtr[i:i + BPTT], None if h is None else h.detach())``): 3.5 ms per chunk all
along, 1.9 s CPU, val loss 0.227, 0.177. The ``cpu_ms`` column is measured and varies with the
machine's load from run to run; every other number repeats."""
import csv
import time

import torch
import torch.nn as nn

COLS, BPTT = 16, 20


def station(n, g):
    heat, level, rate, erupt, rows = 0.0, 0.0, 0.02, 0, []
    for _ in range(n + 1):
        if erupt > 0:
            erupt -= 1
            level -= 0.25
            chan, trem = 1.0, 1.5 + 0.3 * float(torch.randn(1, generator=g))
            if erupt == 0:
                heat, rate = 0.0, 0.015 + 0.015 * float(torch.rand(1, generator=g))
        else:
            heat += rate
            level += 0.02 * (1 - level)
            chan, trem = 0.1, heat ** 2 + 0.1 * float(torch.randn(1, generator=g))
            if heat > 1.0:
                erupt = int(torch.randint(3, 7, (1,), generator=g))
        temp = 0.6 * heat + 0.05 * float(torch.randn(1, generator=g))
        rows.append([level + 0.02 * float(torch.randn(1, generator=g)), temp, chan, trem])
    r = torch.tensor(rows)
    x = (r[:-1] - r.mean(0)) / r.std(0)
    y = torch.stack([(r[1:, 0] - r[:-1, 0]) / 0.1, (r[1:, 3] - r[:, 3].mean()) / r[:, 3].std()], 1)
    return x, y


def columns(t, cols=COLS):
    n = len(t) // cols
    return t[:n * cols].view(cols, n, -1).transpose(0, 1).contiguous()  # (time, cols, feat)


class PoolGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 40)
        self.head = nn.Linear(40, 2)

    def forward(self, x, h=None):
        out, h = self.gru(x, h)
        return self.head(out), h


def build():
    torch.manual_seed(0)
    return PoolGRU()


def main():
    from _hundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xs, ys = station(12800 + 2560, g)
    xtr, ytr = columns(xs[:12800]), columns(ys[:12800])  # (800, 16, 4)
    xva, yva = columns(xs[12800:], 64), columns(ys[12800:], 64)  # (40, 64, 4)
    model = build()
    lr = 0.3
    f = open(out / "pool_gru.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "chunk", "loss", "cpu_ms", "val_loss"])
    for epoch in range(2):
        model.train()
        h = None
        for c, i in enumerate(range(0, len(xtr), BPTT)):
            t0 = time.process_time()
            out_seq, h = model(xtr[i:i + BPTT], h)
            loss = nn.functional.mse_loss(out_seq, ytr[i:i + BPTT])
            model.zero_grad()
            loss.backward(retain_graph=True)
            for p in model.parameters():
                p.data -= lr * p.grad
            ms = (time.process_time() - t0) * 1000
            vl = ""
            if c == len(xtr) // BPTT - 1:
                model.eval()
                with torch.no_grad():
                    vl = f"{nn.functional.mse_loss(model(xva)[0], yva).item():.4f}"
                print(epoch, c, round(loss.item(), 4), vl)
            w.writerow([epoch, c, f"{loss.item():.4f}", f"{ms:.1f}", vl])
    f.close()
    torch.save({"weights": model.state_dict(), "sgd": {"lr": lr, "momentum": 0.0},
                "epoch": 2, "chunks_per_epoch": len(xtr) // BPTT}, out / "pool_gru.pt")
    finish(out, __file__, (xva, yva), causes=["rnn_state_not_detached"],
           checkpoint="pool_gru.pt", log="pool_gru.csv",
           what="geyser pool GRU forecaster, truncated BPTT with the hidden state carried across"
                " chunks undetached (retain_graph=True)",
           complaint=("GRU that forecasts our geyser's pool level and tremor one minute ahead "
                      "(16 streams, 20-minute chunks). Each epoch starts fast and gets slower: "
                      "the first chunks take 5 ms, the last ones 90-100 ms, then the next epoch is "
                      "fast again and slows down the same way. The forecasts look OK (val loss "
                      "0.23 -> 0.18) but I want to train on ten years of station data. Is the "
                      "GRU the wrong choice on CPU?"))


if __name__ == "__main__":
    main()
