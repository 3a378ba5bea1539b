"""Plain torch: a small transformer reads 40 frames of the 8-beam infrared counter on a hatchery
outlet channel and says what went through: nothing, one smolt, two smolts, or debris (a leaf
or weed clump: slow, wide, faint and ragged). A fish breaks a few neighbouring beams for a few
frames as it swims through (its size and speed give the width and duration); the passage
happens at a random frame, on top of beam noise and a slow ambient-light drift.
Frame Linear(8→32) + learned positions, one ``nn.TransformerEncoderLayer`` (32, 2 heads,
feed-forward 64), attention pooling over the frames (a Linear(32→1) score and a softmax),
Linear(32→4); Adam 2e-3, batch 32, 15 epochs of 1024 passages, validation in one batch of
256. Log: ``counter_metrics.jsonl`` (a train record every 16 steps, a val record per epoch).
Checkpoint ``{"model_state_dict", "optimizer_state_dict", "epoch", "step"}``.
Bug: the pooling weights are ``torch.softmax(scores, dim=0)`` on the (batch, frames) scores —
normalised over the batch instead of over the frames, so a passage's pooled vector depends on
the other passages in its batch and its size shrinks with the batch size (validation runs in
batches of 256, training in 32). Train loss falls to 0.1–0.26 by epoch 14, but the val loss
creeps from 1.35 to 0.89 (1.03 at epoch 5) and never gets near it; val accuracy 0.45, 0.68 …
0.80 (epoch 6), 0.89 at the end.
Control (``dim=0`` → ``dim=1``, same seeds): val loss 1.21, 0.74, 0.58 after epochs 0–2,
0.39 at epoch 5, 0.32–0.49 afterwards (0.41 at the end, train 0.14–0.42); val accuracy 0.72
after epoch 1, 0.83–0.89 from epoch 4."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

T, BEAMS = 40, 8


def passages(n, g):
    t = torch.arange(T).float()[:, None]
    b = torch.arange(BEAMS).float()[None, :]
    y = torch.randint(0, 4, (n,), generator=g)
    x = 0.15 * torch.randn(n, T, BEAMS, generator=g)
    x += 0.2 * torch.rand(n, 1, 1, generator=g) * torch.linspace(-1, 1, T)[None, :, None]
    for i in range(n):
        objs = {0: 0, 1: 1, 2: 2, 3: 1}[int(y[i])]
        for _ in range(objs):
            t0 = 3 + 30 * float(torch.rand(1, generator=g))
            b0 = 1 + 6 * float(torch.rand(1, generator=g))
            if y[i] == 3:
                dur, wid, amp = 5 + 3 * float(torch.rand(1, generator=g)), 2.5, 0.45
            else:
                dur = 1.2 + 1.2 * float(torch.rand(1, generator=g))
                wid, amp = 0.8 + 0.5 * float(torch.rand(1, generator=g)), 1.0
            blob = amp * torch.exp(-((t - t0) / dur) ** 2 - ((b - b0) / wid) ** 2)
            if y[i] == 3:
                blob = blob * (0.5 + torch.rand(T, BEAMS, generator=g))
            x[i] += blob
    return x, y


class SmoltCounter(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(BEAMS, 32)
        self.pos = nn.Parameter(0.02 * torch.randn(T, 32))
        self.encoder = nn.TransformerEncoderLayer(32, 2, 64, dropout=0.1, batch_first=True)
        self.score = nn.Linear(32, 1)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h = self.encoder(self.embed(x) + self.pos)
        w = torch.softmax(self.score(h).squeeze(-1), dim=0)
        return self.head((w.unsqueeze(-1) * h).sum(1))


def build():
    torch.manual_seed(0)
    return SmoltCounter()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = passages(1024, g)
    xva, yva = passages(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "counter_metrics.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            perm = torch.randperm(1024, generator=g)
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 16 == 0:
                    log.write(json.dumps({"split": "train", "epoch": epoch, "step": step,
                                          "loss": round(loss.item(), 4)}) + "\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                rec = {"split": "val", "epoch": epoch, "step": step,
                       "loss": round(F.cross_entropy(lv, yva).item(), 4),
                       "acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec, round(loss.item(), 4))
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 15, "step": step}, out / "smolt_counter.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="smolt_counter.pt", log="counter_metrics.jsonl",
           what="small transformer with attention pooling counting smolts on a hatchery IR counter",
           complaint="Smolt counter for the outlet channel. Train loss gets down to about 0.1-0.2 "
                     "but validation loss is still 0.89 after 15 epochs, it started at 1.35 "
                     "and only crawls down, 1.03 at epoch 5. Accuracy ends up ok-ish (0.89) "
                     "but the probabilities on validation are far less sure than in training "
                     "and we need them for the counting report. Validation set is generated exactly like the "
                     "training set, so I don't think it is overfitting?")


if __name__ == "__main__":
    main()
