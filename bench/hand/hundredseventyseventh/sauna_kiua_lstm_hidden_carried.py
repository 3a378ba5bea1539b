"""Plain torch: an LSTM forecasts the next half-minute of a public sauna's hot room (the change
in air temperature and the humidity) from its controller log: heater relay, door switch, löyly
ladle count, air temperature and humidity, one row every 30 s. The stones of the kiuas are not
measured: they heat while the relay is on, lose heat to each ladle of water (the humidity
jumps, the air warms) and warm the room, so the model has to keep track of them. The training
log (19 200 rows) is cut into 16 parallel columns and read in chunks of 20 steps (truncated
BPTT, 60 chunks an epoch, hidden state reset at each epoch start); validation is another 2 560
rows cut into 64 columns of 40 steps. LSTM(5→48), Linear(48→2), SGD with momentum written by
hand (``velocity = 0.9 * velocity + grad``, ``p.data.add_(velocity, alpha=-lr)``, lr 0.2; the
velocities are saved as the optimizer state), 3 epochs; a CSV row every 4 chunks (``epoch``,
``chunk``, ``mse``, ``grad_norm``, ``ms`` = CPU milliseconds of that chunk's step) and
``val_mse`` at each epoch end.
The bug: ``hidden`` goes from chunk to chunk as it comes out of the LSTM (no ``.detach()``)
and ``backward(retain_graph=True)`` was added when PyTorch said "Trying to backward through the
graph a second time": every chunk back-propagates through the whole epoch so far, and the
graph of the epoch is kept alive. The step cost grows linearly within each epoch (a
saw-tooth): 3–7 ms per chunk at each epoch start, 28–50 ms by chunks 51–59, 5.4–6.9 s CPU for
the run; the loss is not visibly hurt (val MSE 0.0346, 0.0309, 0.0272; train MSE 0.61 → 0.018).
Control (``model(x, tuple(h.detach() for h in hidden))``): 1.5–2.7 ms per chunk, flat, 2.8 s
CPU, val MSE 0.0368, 0.0353, 0.0298 (train MSE 0.61 → 0.019). The ``ms`` column is measured, so
its exact values vary from run to run with the machine's load; everything else repeats."""
import csv
import time

import torch
import torch.nn as nn

COLS, BPTT = 16, 20


def controller_log(n, g):
    """(n, 5) inputs and (n, 2) next-step targets, standardised."""
    air, stones, hum = 20.0, 20.0, 10.0
    relay, rows = 1.0, []
    for _ in range(n + 1):
        if air > 82:
            relay = 0.0
        elif air < 74:
            relay = 1.0
        door = float(torch.rand(1, generator=g) < 0.04)
        ladles = int(torch.randint(0, 3, (1,), generator=g)) if torch.rand(1, generator=g) < 0.08 else 0
        rows.append([relay, door, ladles, air, hum])
        stones += 9.0 * relay - 0.035 * (stones - air) - 6.0 * ladles
        stones = max(stones, air)
        air += 0.03 * (stones - air) - 0.02 * (air - 20) - 4.0 * door + 1.5 * ladles
        air += 0.3 * float(torch.randn(1, generator=g))
        hum += 7.0 * ladles - 0.12 * (hum - 10) - 3.0 * door + 0.5 * float(torch.randn(1, generator=g))
    r = torch.tensor(rows)
    x = (r[:-1] - torch.tensor([0.5, 0.04, 0.2, 70.0, 14.0])) / torch.tensor([0.5, 0.2, 0.6, 12.0, 6.0])
    y = torch.stack([(r[1:, 3] - r[:-1, 3]) / 2.0, (r[1:, 4] - 14.0) / 6.0], 1)
    return x, y


def columns(t, cols=COLS):
    n = len(t) // cols
    return t[:n * cols].view(cols, n, -1).transpose(0, 1).contiguous()  # (time, cols, feat)


class KiuaLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 48)
        self.head = nn.Linear(48, 2)

    def forward(self, x, hidden=None):
        out, hidden = self.lstm(x, hidden)
        return self.head(out), hidden


def build():
    torch.manual_seed(0)
    return KiuaLSTM()


def main():
    from _hundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xs, ys = controller_log(19200 + 2560, g)
    xtr, ytr = columns(xs[:19200]), columns(ys[:19200])  # (1200, 16, 5)
    xva, yva = columns(xs[19200:], 64), columns(ys[19200:], 64)  # (40, 64, 5): 64 val windows
    model = build()
    lr, mom = 0.2, 0.9
    velocity = {n: torch.zeros_like(p) for n, p in model.named_parameters()}
    f = open(out / "kiua_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "chunk", "mse", "grad_norm", "ms", "val_mse"])
    for epoch in range(3):
        model.train()
        hidden = None
        for c, i in enumerate(range(0, len(xtr), BPTT)):
            t0 = time.process_time()
            pred, hidden = model(xtr[i:i + BPTT], hidden)
            loss = nn.functional.mse_loss(pred, ytr[i:i + BPTT])
            model.zero_grad()
            loss.backward(retain_graph=True)
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1e9)
            for n, p in model.named_parameters():  # SGD with momentum
                velocity[n].mul_(mom).add_(p.grad)
                p.data.add_(velocity[n], alpha=-lr)
            ms = (time.process_time() - t0) * 1000
            vm = ""
            if c == len(xtr) // BPTT - 1:
                model.eval()
                with torch.no_grad():
                    vm = f"{nn.functional.mse_loss(model(xva)[0], yva).item():.4f}"
                print(epoch, c, round(loss.item(), 4), vm)
            if c % 4 == 3:
                w.writerow([epoch, c, f"{loss.item():.4f}", f"{gn.item():.3f}", f"{ms:.1f}", vm])
    f.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": {"lr": lr, "momentum": mom, "velocity": velocity},
                "epoch": 3, "bptt": BPTT}, out / "kiua_lstm.pt")
    finish(out, __file__, (xva, yva),
           causes=["rnn_state_not_detached"], checkpoint="kiua_lstm.pt", log="kiua_train.csv",
           what="sauna hot-room LSTM forecaster, truncated BPTT with the hidden state carried"
                " across chunks undetached (retain_graph=True)",
           complaint=("Sauna hot-room forecaster (LSTM, 16 parallel streams, chunks of 20 steps): "
                      "training gets slower and slower inside every epoch. A chunk takes ~5 ms at "
                      "the start of an epoch and 30-50 ms by the end of it (60 chunks), then it "
                      "drops back when the next epoch starts and climbs again. Val MSE is fine "
                      "(0.035 -> 0.027 in 3 epochs), but I need to train on a month of logs and "
                      "at this rate the epochs will take forever. Is an LSTM on CPU just this "
                      "slow? Would a GRU be faster?"))


if __name__ == "__main__":
    main()
