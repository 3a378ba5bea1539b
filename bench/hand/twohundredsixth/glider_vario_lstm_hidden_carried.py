"""Plain torch: an LSTM forecasts the next second of a sailplane's variometer from its flight
recorder: vario (climb rate, m/s), bank angle and airspeed, one row a second. Underneath, the
glider alternates between straight glides through sinking air (about −1 m/s, wings level, fast)
and climbs in thermals (the pilot banks to 35–45°, slows down, and the climb builds up to the
thermal's strength over 10–20 s, then weakens as the thermal dies); when and how strong is
hidden, so the model has to keep the state of the current thermal. The training record
(16 flights of 720 s, read side by side) is cut into chunks of 12 s (truncated BPTT, 60 chunks
an epoch, state reset at each epoch start); validation is 8 other flights of 360 s. LSTM(3→32),
Linear(32→1) (next vario), plain SGD written out as in the char-RNN tutorial
(``p.data.add_(p.grad, alpha=-lr)``, lr 0.1, gradient norm clipped at 1), 3 epochs. A TSV row
per chunk (``epoch``, ``chunk``, ``mse``, ``cpu_ms``) and ``val_mse`` on each epoch's last row;
checkpoint ``model`` / ``sgd`` (lr, clip) / ``epoch``.
The bug: ``state`` goes from chunk to chunk as the LSTM returns it, and
``loss.backward(retain_graph=True)`` was added when PyTorch complained about backward through
the graph a second time, so every chunk back-propagates through the whole flight so far.The time a chunk takes grows
linearly inside each epoch (1.9 ms at chunk 1, ~4.5 ms at chunk 10, ~8.5 at 20, ~15 at 40,
21–22 ms at chunk 59, then back down at the next epoch: a saw-tooth), 2.06 s of chunk time over
the 180 chunks; val MSE 0.1327, 0.1270, 0.1253 (train MSE 1.12 in the first chunk, 0.12–0.13
at the end). Control (``model(xtr[i:i + BPTT], None if state is None else tuple(s.detach() for
s in state))``): 1.0–1.3 ms per chunk all along, 0.23 s in all, val MSE 0.1339, 0.1277, 0.1257.
The first chunk of the run takes ~20 ms in both (warm-up). The ``cpu_ms`` column is measured
and varies with the machine's load from run to run; every other number repeats."""
import time

import torch
import torch.nn as nn

FLIGHTS, SECS, BPTT = 16, 720, 12


def flights(n, secs, g):
    rows = torch.zeros(secs + 1, n, 3)
    for j in range(n):
        climb, left, strength, age, life = False, int(torch.randint(20, 60, (1,), generator=g)), 0., 0, 0
        for t in range(secs + 1):
            left -= 1
            if left <= 0:
                climb = not climb
                if climb:
                    strength = 1.0 + 3.0 * float(torch.rand(1, generator=g))
                    life = int(torch.randint(40, 110, (1,), generator=g))
                    left, age = life, 0
                else:
                    left = int(torch.randint(30, 90, (1,), generator=g))
            if climb:
                age += 1
                rise = strength * min(1.0, age / 15) * min(1.0, 2.5 * left / life)
                vario, bank, speed = rise - 0.8, 40.0, 85.0
            else:
                vario, bank, speed = -1.0, 2.0, 120.0
            noise = torch.randn(3, generator=g) * torch.tensor([0.3, 3.0, 4.0])
            rows[t, j] = torch.tensor([vario, bank / 40, speed / 100]) + noise * torch.tensor(
                [1.0, 1 / 40, 1 / 100])
    return rows[:-1], rows[1:, :, :1]


class VarioLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32)
        self.head = nn.Linear(32, 1)

    def forward(self, x, state=None):
        out, state = self.lstm(x, state)
        return self.head(out), state


def build():
    torch.manual_seed(0)
    return VarioLSTM()


def main():
    from _twohundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = flights(FLIGHTS, SECS, g)  # (720, 16, 3)
    xva, yva = flights(8, 360, g)
    model = build()
    lr, clip = 0.1, 1.0
    lines = ["epoch\tchunk\tmse\tcpu_ms\tval_mse"]
    for epoch in range(3):
        model.train()
        state = None
        for c, i in enumerate(range(0, SECS, BPTT)):
            t0 = time.process_time()
            pred, state = model(xtr[i:i + BPTT], state)
            loss = nn.functional.mse_loss(pred, ytr[i:i + BPTT])
            model.zero_grad()
            loss.backward(retain_graph=True)
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
            ms = (time.process_time() - t0) * 1000
            vm = ""
            if c == SECS // BPTT - 1:
                model.eval()
                with torch.no_grad():
                    vm = f"{nn.functional.mse_loss(model(xva)[0], yva).item():.4f}"
                print(epoch, c, round(loss.item(), 4), round(ms, 1), vm)
            lines.append(f"{epoch}\t{c}\t{loss.item():.4f}\t{ms:.1f}\t{vm}")
    (out / "vario.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"model": model.state_dict(), "sgd": {"lr": lr, "clip": clip}, "epoch": 3},
               out / "vario_lstm.pt")
    finish(out, __file__, (xva, yva), causes=["rnn_state_not_detached"],
           checkpoint="vario_lstm.pt", log="vario.tsv",
           what="sailplane vario LSTM forecaster, truncated BPTT with the LSTM state carried"
                " across chunks undetached (retain_graph=True)",
           complaint=("LSTM that predicts the next second of the variometer from our gliders' "
                      "flight recorders (16 flights side by side, 12-second chunks). Training "
                      "gets slower and slower within every epoch: the first chunks take about "
                      "2 ms, the last ones 21-22 ms, then the next epoch starts fast again and "
                      "slows down the same way. The predictions are fine (val MSE 0.133 -> "
                      "0.125) but we want to train on a whole season of flights and at this "
                      "rate it will never finish. Is an LSTM just too slow on CPU?"))


if __name__ == "__main__":
    main()
