"""Plain torch: a GRU follows a diatonic harmonica player's breath, read from a pressure
sensor in a practice mouthpiece every 10 ms, and estimates how far the reed is bent (in
semitones, 0-2) at each step, for a bending-practice app that draws the pitch live. Inputs
per step: mouthpiece pressure (kPa, blow positive, draw negative), the hole being played
(1-10, / 10) and whether the player is tongue-blocking (0/1). Physics of the rule: only a
draw on holes 1-6 bends (the blow reed chokes the draw reed), the bend target grows with
the draw pressure past a threshold that is lower when tongue-blocking, the deepest bend
depends on the hole (hole 3: two semitones, holes 1 / 4: one, hole 2: 1.5, holes 5 / 6:
a quarter), and the reed follows the target with a lag of about 60 ms; the player moves to
another hole every 1-3 s. 12 recordings of 600 steps (6 s) for training, 64 for validation.
Model: GRU 3→32, 1 layer, → linear 32→1 per step; MSE. Streamed training, truncated BPTT
in chunks of 30 steps (20 chunks an epoch, the hidden state carried from chunk to chunk
and reset at each epoch start), 6 epochs. Optimiser written by hand: SGD lr 0.05 with
momentum 0.9 on ``p.data``, gradient norm clipped to 1.0.
The bug: the chunk boundary has ``hidden.detach()`` as a bare statement (the result is
thrown away), so the hidden state keeps its graph back to the start of the epoch; PyTorch
then refused to backward a second time and ``retain_graph=True`` was added. Every chunk
backpropagates through the whole epoch so far: a chunk takes 7-37 ms at the start of an
epoch and 45-173 ms at chunk 19 (the graph is dropped when ``hidden = None`` starts the
next epoch), an epoch 0.5-1.9 s (three runs, load varies); the fit itself ends about where
the control does (train chunk MSE 0.105 → 0.051, val MSE 0.104 → 0.0496, val MAE 0.237 →
0.171 semitones; the clip keeps the stale gradients in check). Control (``hidden =
hidden.detach()``): 4-18 ms a chunk all along, 0.14-0.29 s an epoch, val MSE 0.105 →
0.0500, val MAE 0.171. Timings on a loaded 2-core machine.
Log: JSON lines ``bend_train.jsonl`` (``epoch`` / ``chunk`` / ``mse`` / ``grad_norm`` per
chunk), a separate CSV per epoch ``bend_val.csv`` (``epoch`` / ``val_mse`` /
``val_mae_semitones``) and the wall clock per chunk in ``bend_timing.tsv`` (``epoch`` /
``chunk`` / ``ms``, the one file that differs from run to run); checkpoint ``bend_gru.pt``
with keys ``gru`` / ``momentum_buffers`` / ``lr`` / ``epoch`` / ``chunk_len``."""
import csv
import json
import time

import torch
import torch.nn as nn

STEPS, CHUNK = 600, 30
DEPTH = torch.tensor([0.0, 1.0, 1.5, 2.0, 1.0, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0])


def recordings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    x = torch.zeros(n, STEPS, 3)
    y = torch.zeros(n, STEPS, 1)
    p, bend = torch.zeros(n), torch.zeros(n)
    hole, tb, left = torch.zeros(n, dtype=torch.long), torch.zeros(n), torch.zeros(n)
    for t in range(STEPS):
        new = left <= 0
        hole = torch.where(new, torch.randint(1, 11, (n,), generator=g), hole)
        tb = torch.where(new, (r(n) < 0.3).float(), tb)
        left = torch.where(new, 100 + 200 * r(n), left) - 1
        p = 0.92 * p + 0.08 * (-4 + 7 * r(n)) * 3 + 0.3 * torch.randn(n, generator=g)
        thresh = 1.0 - 0.4 * tb
        target = torch.minimum(((-p - thresh) * 0.6).clamp(min=0), DEPTH[hole])
        bend = bend + 0.17 * (target - bend)
        x[:, t] = torch.stack([p, hole / 10, tb], 1)
        y[:, t, 0] = bend
    return x, y


class BendGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x, hidden=None):
        out, hidden = self.gru(x, hidden)
        return self.head(out), hidden


def build():
    torch.manual_seed(0)
    return BendGRU()


def main():
    from _threehundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recordings(12, g)
    xva, yva = recordings(64, g)
    print("bend mean", ytr.mean().item(), "var", ytr.var().item())
    model = build()
    params = list(model.parameters())
    bufs = [torch.zeros_like(p) for p in params]
    lr, momentum = 0.05, 0.9
    tlog = open(out / "bend_train.jsonl", "w")
    clock = open(out / "bend_timing.tsv", "w")  # wall-clock only, differs from run to run
    clock.write("epoch\tchunk\tms\n")
    with open(out / "bend_val.csv", "w", newline="") as f:
        vlog = csv.writer(f)
        vlog.writerow(["epoch", "val_mse", "val_mae_semitones"])
        for epoch in range(6):
            model.train()
            hidden = None
            t_epoch = time.perf_counter()
            for c in range(STEPS // CHUNK):
                t0 = time.perf_counter()
                xb = xtr[:, c * CHUNK:(c + 1) * CHUNK]
                yb = ytr[:, c * CHUNK:(c + 1) * CHUNK]
                if hidden is not None:
                    hidden.detach()  # cut BPTT at the chunk boundary
                pred, hidden = model(xb, hidden)
                loss = ((pred - yb) ** 2).mean()
                for p in params:
                    p.grad = None
                loss.backward(retain_graph=True)  # the hidden state carries over between chunks
                gn = torch.nn.utils.clip_grad_norm_(params, 1.0).item()
                for p, buf in zip(params, bufs, strict=True):
                    buf.mul_(momentum).add_(p.grad)
                    p.data.add_(buf, alpha=-lr)
                ms = 1000 * (time.perf_counter() - t0)
                tlog.write(json.dumps({"epoch": epoch, "chunk": c, "mse": round(loss.item(), 6),
                                       "grad_norm": round(gn, 5)}) + "\n")
                clock.write(f"{epoch}\t{c}\t{ms:.2f}\n")
            model.eval()
            with torch.no_grad():
                pv, _ = model(xva)
                vm = ((pv - yva) ** 2).mean().item()
                mae = (pv - yva).abs().mean().item()
            es = time.perf_counter() - t_epoch
            vlog.writerow([epoch, f"{vm:.6g}", f"{mae:.6g}"])
            print(epoch, round(loss.item(), 5), round(vm, 5), round(mae, 4), round(es, 2), round(ms, 1))
    tlog.close()
    clock.close()
    torch.save({"gru": model.state_dict(), "momentum_buffers": bufs, "lr": lr, "epoch": 6,
                "chunk_len": CHUNK}, out / "bend_gru.pt")
    finish(out, __file__, (xva[:64, :CHUNK], yva[:64, :CHUNK]),
           causes=["rnn_state_not_detached"], checkpoint="bend_gru.pt", log="bend_train.jsonl",
           what="GRU estimating a harmonica reed's bend from mouthpiece pressure, streamed in"
                " 30-step chunks; the chunk-boundary detach result is thrown away, so the"
                " hidden state keeps the graph of the whole epoch",
           complaint="Training the bend tracker gets slower and slower inside every epoch: the"
                     " first chunks of a recording take a few milliseconds, by the end of the"
                     " recording each 30-step chunk takes well over 100 ms, and then the next"
                     " epoch starts fast again. Twelve six-second recordings already take"
                     " up to a couple of seconds an epoch; we want to train on hours of"
                     " playing.")


if __name__ == "__main__":
    main()
