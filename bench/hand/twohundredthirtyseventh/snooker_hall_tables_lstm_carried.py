"""Plain torch: an LSTM forecasts the next quarter-hour of a snooker hall from the till and the
booking system: tables in use (of 12), bookings for the next hour, bar sales and walk-ins, one
row every 15 minutes. Underneath, the hall follows the day (quiet mornings, an after-work rush,
a late league night on some days) plus a slowly drifting "busy-ness" of the week, so the model
has to carry state across many rows. The training record (16 columns × 480 quarter-hours,
read in chunks of 16 rows, truncated BPTT, 30 chunks an epoch, hidden state reset at each
epoch start); validation is 64 other columns of 48 rows. LSTM(4→32), Linear(32→1) (next
tables-in-use, scaled), plain SGD written out by hand (``p.data -= lr * p.grad``, lr 0.5),
3 epochs; CSV ``hall_tbptt.csv`` with a row per chunk (``epoch``, ``chunk``, ``mse``,
``ms``) and ``val_mse`` on each epoch's last row; checkpoint ``model`` / ``sgd`` (lr and
momentum-free state) / ``epoch`` / ``chunk``.
The bug: ``state`` goes from chunk to chunk as the LSTM returns it, and
``retain_graph=True`` was added when PyTorch complained about backward through the graph a
second time: every chunk back-propagates through the whole epoch so far.
The loss is not the symptom (chunk MSE 0.0143 at the end, val MSE 0.0405 / 0.0192 / 0.0104
after epochs 1–3); the cost is: the CPU time per chunk climbs inside each epoch, from 2.1–2.6 ms
for the first chunk of epochs 2 and 3 to 14–23 ms for the 30th (the run's very first chunk
takes 21–23 ms in both runs, warm-up), and the whole run needs several times the CPU.
Control (``sed`` appending ``; state = tuple(s.detach() for s in state)`` to the forward line):
1.7–2.0 ms for every chunk, val MSE 0.0385 / 0.0176 / 0.0093.
"""
import csv
import math
import time

import torch
import torch.nn as nn

COLS, ROWS, BPTT = 16, 480, 16


def hall(cols, rows, g):
    t = torch.arange(rows).float()
    day = (t % 96) / 96
    league = (torch.rand(cols, rows // 96 + 1, generator=g) < 0.4).float()
    league = league.repeat_interleave(96, 1)[:, :rows]
    drift = torch.cumsum(0.05 * torch.randn(cols, rows, generator=g), 1)
    busy = (torch.sigmoid(8 * (day - 0.6)) * (1 - torch.sigmoid(12 * (day - 0.95)))
            * (0.6 + 0.4 * league) + 0.05 * torch.tanh(drift))
    tables = busy + 0.04 * torch.randn(cols, rows, generator=g)
    bookings = torch.roll(busy, -4, 1) + 0.05 * torch.randn(cols, rows, generator=g)
    bar = 0.7 * busy + 0.1 * torch.randn(cols, rows, generator=g)
    walk = torch.sin(2 * math.pi * day)[None].expand(cols, rows)
    x = torch.stack([tables, bookings, bar, walk], 2)
    return x[:, :-1], tables[:, 1:, None]


class HallLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x, state=None):
        h, state = self.lstm(x, state)
        return self.out(h), state


def build():
    torch.manual_seed(0)
    return HallLSTM()


def main():
    from _twohundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = hall(COLS, ROWS + 1, g)
    xva, yva = hall(64, 49, g)
    model = build()
    lr = 0.5
    mse = nn.MSELoss()
    f = open(out / "hall_tbptt.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "chunk", "mse", "ms", "val_mse"])
    for epoch in range(1, 4):
        state = None
        for chunk in range(ROWS // BPTT):
            t0 = time.process_time()
            sl = slice(chunk * BPTT, (chunk + 1) * BPTT)
            pred, state = model(xtr[:, sl], state)
            loss = mse(pred, ytr[:, sl])
            model.zero_grad()
            loss.backward(retain_graph=True)
            for p in model.parameters():
                p.data -= lr * p.grad
            ms = round(1000 * (time.process_time() - t0), 1)
            val = ""
            if chunk == ROWS // BPTT - 1:
                with torch.no_grad():
                    val = round(mse(model(xva)[0], yva).item(), 5)
            w.writerow([epoch, chunk, round(loss.item(), 5), ms, val])
        print(epoch, round(loss.item(), 5), ms, val)
    f.close()
    torch.save({"model": model.state_dict(), "sgd": {"lr": lr, "momentum": 0.0},
                "epoch": 3, "chunk": ROWS // BPTT - 1}, out / "hall_lstm.pt")
    finish(out, __file__, (xva, yva), causes=["rnn_state_not_detached"],
           checkpoint="hall_lstm.pt", log="hall_tbptt.csv",
           what="snooker-hall occupancy LSTM, truncated BPTT with the state carried undetached",
           complaint=COMPLAINT)


COMPLAINT = ("球房台位预测的 LSTM 训练越来越慢：每个 epoch 开头一个 chunk 只要 2 ms 左右，到第 30 个 chunk"
             " 要 15-23 ms，而且每个 epoch 都是这样越跑越慢。loss 倒是在降（val MSE 0.0405 → 0.0104）。"
             "数据量不大，只有 16 列 × 480 行。是内存泄漏还是 LSTM 本来就这么慢？")

if __name__ == "__main__":
    main()
