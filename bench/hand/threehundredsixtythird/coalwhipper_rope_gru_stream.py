"""Plain torch: a GRU follows the load cell on a coalwhipping gang's whip rope (5 Hz) and
names the phase of every sample, for a heritage reconstruction of Thames coal whipping that
counts baskets and times each phase: slack (basket down in the hold, being filled), hoist
(the four whippers run up the stage and jump down together, the basket rising in jerks, one
jerk per jump), swing (the basket man swings the full basket over the barge's side: tension
held, with a sway), tip (the basket emptied onto the weigh-plank: tension falls away). The
rope tension: about 0.1 of a full basket's weight slack, jumps of +25 % per whippers' jump
during the hoist, 1.0-1.3 (the basket's load) with a 0.6 Hz sway in the swing, a fall to
slack in the tip; phase lengths vary from cycle to cycle (slack 2-6 s, 3-5 jumps 0.8 s apart,
swing 1.4-2.6 s, tip 0.6-1 s), rope stretch noise.
Input: (20, 1) chunks of the tension (full basket = 1), truncated back-propagation over
chunks of 20 samples (4 s), 16 chunks per 64 s recording, the GRU state carried from chunk
to chunk; 20 recordings per batch. Target: the phase of every sample (4 classes). Model: GRU
1→32, 1 layer → Linear 32→4; per-sample cross-entropy, Adam 5e-3, gradient accumulated over
a recording's chunks and one step per batch of recordings, 8 epochs of 140 recordings,
validation on 64 recordings streamed whole.
The bug: the state is handed to the next chunk as it comes out of the GRU (``h = state``),
never detached, so each chunk's ``backward`` (``retain_graph=True``, added when PyTorch
complained about a second backward through the graph) runs back through every earlier chunk
of the recording, 136 chunk back-passes per recording instead of 16; an epoch costs 0.91-1.14
s of CPU (two runs) against 0.18-0.19 s for the control, about 5-6×, for no better fit (val
CE 1.263 → 0.314, val acc 0.323 → 0.863, tip recall 0.36; control, ``h = state.detach()``:
val CE 1.264 → 0.310, val acc 0.871, tip recall 0.45). ``cpu_s`` differs from run to run.
Log: CSV per batch of recordings ``whip_batches.csv`` (``epoch`` / ``batch`` / ``ce``) and a
CSV per epoch ``whip_epochs.csv`` (``epoch`` / ``val_ce`` / ``val_acc`` / ``val_acc_tip`` /
``cpu_s``; ``cpu_s`` is CPU time); checkpoint ``whip_gru.pt`` with keys ``gru`` /
``adam`` / ``epoch`` / ``chunk`` / ``phases``."""
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LEN = 320
CHUNK = 20
PHASES = ["slack", "hoist", "swing", "tip"]


def recordings(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    x = torch.empty(n, LEN)
    y = torch.empty(n, LEN, dtype=torch.long)
    for i in range(n):
        ten, lab = [], []
        load = 1.0 + 0.3 * r()
        while len(ten) < LEN:
            for _ in range(int(10 + 20 * r())):
                ten.append(0.1)
                lab.append(0)
            jumps = 3 + int(3 * r())
            for j in range(jumps):
                for k in range(4):
                    ten.append(load * (0.25 + 0.75 * (j + k / 4) / jumps) + 0.15 * (k == 0))
                    lab.append(1)
            ph = 6.28 * r()
            for k in range(int(7 + 6 * r())):
                ten.append(load * (1 + 0.08 * math.sin(ph + 0.75 * k)))
                lab.append(2)
            m = int(3 + 2 * r())
            for k in range(m):
                ten.append(load * (1 - (k + 1) / (m + 1)))
                lab.append(3)
        x[i] = torch.tensor(ten[:LEN])
        y[i] = torch.tensor(lab[:LEN])
    x = x + 0.04 * torch.randn(n, LEN, generator=g)
    return x.unsqueeze(2), y


class WhipGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x, h=None):
        out, h = self.gru(x, h)
        return self.head(out), h


def build():
    torch.manual_seed(0)
    return WhipGRU()


def main():
    from _threehundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recordings(140, g)
    xva, yva = recordings(64, g)
    print("phase shares", (torch.bincount(ytr.flatten()) / ytr.numel()).tolist())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    n_chunks = LEN // CHUNK
    with open(out / "whip_batches.csv", "w") as blog, open(out / "whip_epochs.csv", "w") as elog:
        blog.write("epoch,batch,ce\n")
        elog.write("epoch,val_ce,val_acc,val_acc_tip,cpu_s\n")
        for epoch in range(8):
            t0 = time.process_time()
            model.train()
            perm = torch.randperm(len(xtr))
            for b in range(0, len(xtr), 20):
                idx = perm[b:b + 20]
                xb, yb = xtr[idx], ytr[idx]
                h = None
                opt.zero_grad()
                tot = 0.0
                for c in range(0, LEN, CHUNK):
                    logits, state = model(xb[:, c:c + CHUNK], h)
                    h = state  # the rope doesn't reset between chunks, neither does the GRU
                    loss = F.cross_entropy(logits.reshape(-1, 4),
                                           yb[:, c:c + CHUNK].reshape(-1)) / n_chunks
                    loss.backward(retain_graph=True)
                    tot += loss.item()
                opt.step()
                blog.write(f"{epoch},{b // 20},{tot:.6f}\n")
            model.eval()
            with torch.no_grad():
                logits, _ = model(xva)
            pred = logits.argmax(2)
            val_ce = F.cross_entropy(logits.reshape(-1, 4), yva.reshape(-1)).item()
            acc = (pred == yva).float().mean().item()
            acc_tip = (pred[yva == 3] == 3).float().mean().item()
            sec = time.process_time() - t0
            elog.write(f"{epoch},{val_ce:.6f},{acc:.5f},{acc_tip:.5f},{sec:.2f}\n")
            print(epoch, round(val_ce, 5), round(acc, 4), round(acc_tip, 4), round(sec, 2))
    torch.save({"gru": model.state_dict(), "adam": opt.state_dict(), "epoch": 8,
                "chunk": CHUNK, "phases": PHASES}, out / "whip_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["rnn_state_not_detached"],
           checkpoint="whip_gru.pt", log="whip_epochs.csv",
           what="GRU naming the phase of a coalwhipping gang's whip from the rope's load cell,"
                " truncated BPTT whose carried state is never detached",
           complaint="Our whip-phase GRU is painfully slow to train. 140 recordings of 64 s, a"
                     " 32-unit GRU, and every epoch takes 0.9-1.1 s of CPU, while a colleague's"
                     " version of the same tagger on the same data does an epoch in under 0.2 s."
                     " Accuracy ends about the same (0.87 on validation), so it is not"
                     " diverging, it is just 5-6 times slower and we want to train on"
                     " whole days of rope data.")


if __name__ == "__main__":
    main()
