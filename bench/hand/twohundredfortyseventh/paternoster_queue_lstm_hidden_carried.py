"""Plain torch: an LSTM forecasts, a minute ahead, how many people wait at each of 3 landings of
a paternoster lift (ground, 3rd and 6th floor) from the per-minute door-sensor counts, cabin
occupancy and a clock signal. Underneath, arrivals follow the office day (a morning wave, a
lunch double-wave, the evening rush) with a slowly drifting crowd level, and queues build
while the cabins run full: the model has to carry the day's state. The training record (9 600
minutes) is cut into 16 parallel columns and read in chunks of 15 minutes (truncated BPTT, 40
chunks an epoch, hidden state reset at each epoch start); validation is 1 920 minutes cut
into 48 columns of 40. LSTM(6→48), Linear(48→3); SGD written out by hand
(``p.data.add_(p.grad, alpha=-lr)``, lr 0.3), 3 epochs; a JSON line per chunk (``ep``,
``chunk``, ``loss``, ``ms``) and one per epoch with ``val_loss``.
The bug: ``state`` goes from chunk to chunk as the LSTM returns it, and
``loss.backward(retain_graph=True)`` was added when PyTorch complained about backward through
the graph a second time, so every chunk back-propagates through the whole epoch so far.
Chunk CPU time grows inside each epoch (about 2 ms at chunk 0, 13 ms at chunk 20, 19–27 ms at
chunks 30–39, back to 2 ms at the next epoch: a saw-tooth), 4.2 s CPU for the run; val loss
0.1900, 0.1566, 0.1403.
Control (``state = tuple(s.detach() for s in state)`` after the forward): 1.2–2.5 ms per chunk
all along, 2.2 s CPU, val loss 0.1899, 0.1569, 0.1403 (the loss barely changes: the bug costs
time that grows with the epoch's length, not accuracy, at this size).
The ``ms`` field is measured CPU time and varies with the machine's load; every other number
repeats."""
import json
import math
import time

import torch
import torch.nn as nn

COLS, BPTT = 16, 15


def landings(n, g):
    t = torch.arange(n + 1).float()
    day = (t % 600) / 600  # a 10-hour office day, minute by minute
    crowd = 1 + 0.3 * torch.sin(2 * math.pi * t / 2900)
    wave = (torch.exp(-((day - 0.08) / 0.05) ** 2) + 0.7 * torch.exp(-((day - 0.45) / 0.04) ** 2)
            + 0.6 * torch.exp(-((day - 0.55) / 0.04) ** 2) + torch.exp(-((day - 0.95) / 0.04) ** 2))
    arr = torch.stack([wave * crowd * s for s in (1.2, 0.7, 0.5)], 1)
    arr = torch.poisson(arr + 0.2, generator=g)
    q = torch.zeros(3)
    rows = []
    for i in range(n + 1):
        served = torch.clamp(q, max=1.5)
        q = q + arr[i] - served
        rows.append(torch.cat([q, arr[i]]))
    r = torch.stack(rows)
    occ = r[:, :3].sum(1, keepdim=True).clamp(max=6) / 6
    x = torch.cat([(r[:-1, 3:] - 1) / 1.5, occ[:-1], torch.sin(2 * math.pi * day[:-1, None]),
                   torch.cos(2 * math.pi * day[:-1, None])], 1)[:, :6]
    y = torch.log1p(r[1:, :3])
    return x, y


def columns(t, cols=COLS):
    n = len(t) // cols
    return t[:n * cols].view(cols, n, -1).transpose(0, 1).contiguous()  # (time, cols, feat)


class QueueLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 48)
        self.head = nn.Linear(48, 3)

    def forward(self, x, state=None):
        out, state = self.lstm(x, state)
        return self.head(out), state


def build():
    torch.manual_seed(0)
    return QueueLSTM()


def main():
    from _twohundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xs, ys = landings(9600 + 1920, g)
    xtr, ytr = columns(xs[:9600]), columns(ys[:9600])  # (600, 16, 6)
    xva, yva = columns(xs[9600:], 48), columns(ys[9600:], 48)  # (40, 48, 6)
    model = build()
    lr = 0.3
    with open(out / "queue_lstm.jsonl", "w") as log:
        for ep in range(3):
            model.train()
            state = None
            for c, i in enumerate(range(0, len(xtr), BPTT)):
                t0 = time.process_time()
                pred, state = model(xtr[i:i + BPTT], state)
                loss = nn.functional.mse_loss(pred, ytr[i:i + BPTT])
                model.zero_grad()
                loss.backward(retain_graph=True)
                for p in model.parameters():
                    p.data.add_(p.grad, alpha=-lr)
                ms = (time.process_time() - t0) * 1000
                log.write(json.dumps({"ep": ep, "chunk": c, "loss": round(loss.item(), 5),
                                      "ms": round(ms, 1)}) + "\n")
                if c in (0, 20, 39):
                    print(ep, c, round(loss.item(), 5), round(ms, 1))
            model.eval()
            with torch.no_grad():
                vl = nn.functional.mse_loss(model(xva)[0], yva).item()
            print(ep, "val", round(vl, 5))
            log.write(json.dumps({"ep": ep, "val_loss": round(vl, 5)}) + "\n")
    torch.save({"model": model.state_dict(), "optimizer": {"type": "sgd", "lr": lr,
                                                           "momentum": 0.0},
                "epoch": 3, "bptt": BPTT}, out / "queue_lstm.pt")
    finish(out, __file__, (xva, yva), causes=["rnn_state_not_detached"],
           checkpoint="queue_lstm.pt", log="queue_lstm.jsonl",
           what="paternoster landing-queue LSTM, truncated BPTT with the (h, c) state carried"
                " across chunks undetached (retain_graph=True)",
           complaint=COMPLAINT)


COMPLAINT = ("LSTM forecasting the queues at three landings of our paternoster lift, 16 "
             "streams read in 15-minute chunks. Every epoch starts at about 2 ms per chunk and "
             "slows down to 20-25 ms by the last chunk, then the next epoch is fast again and "
             "slows the same way. Val loss goes 0.190 -> 0.157 -> 0.140, fine so far, but we want "
             "to train on a full year of sensor data. Is the LSTM just too slow on CPU?")


if __name__ == "__main__":
    main()
