"""Plain torch: a GRU reads the 3-axis accelerometer on a horse's halter (10 Hz) as a stream
and says at every sample whether the horse is standing, lying down or rolling, so the ostler
of a coaching inn is woken when a guest's horse rolls again and again in its stall (a colic
sign). Each recording is 48 s (480 samples) out of a night in the stall: a Markov chain of
standing (head up, chewing vibration about 1.2 Hz, the odd head toss), lying (head low and
pitched forward, breathing at 8-16 per minute) and rolling (from lying, 3-8 s, the head
swinging over from side to side at 0.4-0.7 Hz), posture changes eased over a second, a
halter that sits a little crooked on each horse, and sensor noise.
Input: (40, 3) chunks of acceleration in g, truncated back-propagation over chunks of 40
samples (4 s), 12 chunks per recording, the GRU state carried from chunk to chunk; 16
recordings per batch. Model: GRU 3→32, 1 layer → Linear 32→3 per sample; cross-entropy per
sample, Adam 3e-3, gradient summed over a recording's chunks and one step per batch of
recordings, 8 epochs of 128 recordings, validation on 64 recordings streamed the same way.
The bug: the state goes on to the next chunk as the GRU hands it back
(``h = h_n  # keep the GRU state for the next 4 s``), never detached, so each chunk's
``backward`` (``retain_graph=True``, added when PyTorch refused to go back through the
graph a second time) runs back through every earlier chunk of the recording, 78 chunk
back-passes per recording instead of 12: 1.20-1.57 s of CPU per epoch against
0.28-0.30 s (4-5×), 12.0-13.6 s for the run against 4.3 s, for no better fit (val acc 0.426 →
0.801, roll recall 0.36; control, ``h = h_n.detach()``: val acc 0.426 → 0.805, roll recall
0.38). The ``cpu_s`` field is CPU time and differs from run to run.
Log: JSON lines ``stall_train.jsonl``: ``{"epoch", "loss", "val_ce", "val_acc",
"val_roll_recall", "cpu_s"}`` per epoch; checkpoint ``stall_gru.pt`` with keys ``gru_state``
/ ``adam`` / ``epochs`` / ``chunk`` / ``postures``."""
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

FS = 10.0
LEN = 480
CHUNK = 40
POSTURES = ["standing", "lying", "rolling"]


def recordings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lab = torch.zeros(n, LEN, dtype=torch.long)
    s = (r(n) < 0.5).long()
    left = torch.zeros(n)
    for k in range(LEN):
        # leave standing / lying now and then; rolling starts from lying and ends in 3-8 s
        go = r(n)
        roll_end = (s == 2) & (left <= 0)
        s = torch.where(roll_end, torch.ones_like(s), s)
        start_roll = (s == 1) & (go < 0.012)
        left = torch.where(start_roll, 30 + 50 * r(n), left - 1)
        s = torch.where(start_roll, torch.full_like(s, 2), s)
        flip = (s < 2) & (go > 0.996)
        s = torch.where(flip, 1 - s, s)
        lab[:, k] = s
    t = torch.arange(LEN).float() / FS
    pose = torch.tensor([[0.2, 0.0, 0.98], [0.6, 0.1, 0.8], [0.3, 0.0, 0.3]])
    target = pose[lab]  # (n, LEN, 3)
    base = torch.empty(n, LEN, 3)
    cur = target[:, 0]
    for k in range(LEN):
        cur = cur + (target[:, k] - cur) * 0.1  # eased over about a second
        base[:, k] = cur
    chew = 0.04 * torch.sin(2 * math.pi * 1.2 * t + 6 * r(n, 1))
    breath_f = (8 + 8 * r(n, 1)) / 60
    breath = 0.03 * torch.sin(2 * math.pi * breath_f * t + 6 * r(n, 1))
    roll_f = 0.4 + 0.3 * r(n, 1)
    swing = 0.9 * torch.sin(2 * math.pi * roll_f * t + 6 * r(n, 1))
    st, ly, ro = [(lab == i).float() for i in range(3)]
    x = base.clone()
    x[:, :, 2] += st * chew + ly * breath
    x[:, :, 0] += ly * breath
    x[:, :, 1] += ro * swing
    x[:, :, 2] += ro * 0.5 * swing.abs()
    toss = (r(n, LEN) < 0.01).float() * st * 0.4
    x[:, :, 0] += toss
    crooked = 0.15 * (r(n, 1) - 0.5)
    x = torch.stack([x[..., 0], x[..., 1] + crooked * x[..., 2], x[..., 2]], 2)
    return x + 0.03 * torch.randn(n, LEN, 3, generator=g), lab


class StallGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x, h=None):
        out, h_n = self.gru(x, h)
        return self.head(out), h_n


def build():
    torch.manual_seed(0)
    return StallGRU()


def main():
    from _threehundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recordings(128, g)
    xva, yva = recordings(64, g)
    print("posture shares", (torch.bincount(ytr.flatten()) / ytr.numel()).tolist())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    n_chunks = LEN // CHUNK
    with open(out / "stall_train.jsonl", "w") as log:
        for epoch in range(8):
            t0 = time.process_time()
            model.train()
            perm = torch.randperm(len(xtr))
            tot, nb = 0.0, 0
            for b in range(0, len(xtr), 16):
                idx = perm[b:b + 16]
                xb, yb = xtr[idx], ytr[idx]
                h = None
                opt.zero_grad()
                for c in range(0, LEN, CHUNK):
                    logits, h_n = model(xb[:, c:c + CHUNK], h)
                    h = h_n  # keep the GRU state for the next 4 s
                    loss = F.cross_entropy(logits.reshape(-1, 3),
                                           yb[:, c:c + CHUNK].reshape(-1)) / n_chunks
                    loss.backward(retain_graph=True)
                    tot += loss.item()
                opt.step()
                nb += 1
            model.eval()
            with torch.no_grad():
                lv, _ = model(xva)
            pred = lv.argmax(-1)
            roll = yva == 2
            row = {"epoch": epoch, "loss": round(tot / nb, 5),
                   "val_ce": round(F.cross_entropy(lv.reshape(-1, 3), yva.reshape(-1)).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_roll_recall": round((pred[roll] == 2).float().mean().item(), 4),
                   "cpu_s": round(time.process_time() - t0, 2)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"gru_state": model.state_dict(), "adam": opt.state_dict(), "epochs": 8,
                "chunk": CHUNK, "postures": POSTURES}, out / "stall_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["rnn_state_not_detached"],
           checkpoint="stall_gru.pt", log="stall_train.jsonl",
           what="GRU telling standing / lying / rolling from a horse's halter accelerometer"
                " stream, truncated BPTT whose carried state is never detached",
           complaint=("Training our stall-monitor GRU (halter accelerometer, 3 postures per sample,"
                     " 4 s chunks) is far slower than it should be: 1.2-1.6 s of CPU per epoch"
                     " for 128 recordings of 480 samples with a 32-unit GRU, while a colleague's"
                     " copy of the same model on the same data needs about 0.3 s. Accuracy ends up"
                     " about the same (val acc 0.80 after 8 epochs). We want to train on whole"
                     " nights of recordings and this won't scale. Why is ours 4x slower?"))


if __name__ == "__main__":
    main()
