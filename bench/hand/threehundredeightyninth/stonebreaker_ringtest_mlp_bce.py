"""Plain torch: an MLP says whether a stone-breaker's heap will pass the road surveyor's
ring test (every piece must drop through the iron gauge ring; fail = the heap is re-broken
unpaid), so the contractor can warn a man before the surveyor comes round. 6 inputs per heap:
the ring (1.5-2.5 in), the stone (hardness 3-7), how it cleaves (0 tough granite - 1 flaky
slate-like limestone), the breaking hammer's weight (1-4 lb), the minutes spent per cubic
yard (40-160), and whether he finished with a light knapping hammer (0/1). The largest
piece left in the heap = 3.4 in × (hardness / 5)^0.4 × (1 - 0.3 × cleavage) × (60 / minutes
per yard)^0.5 × (hammer / 2.5)^0.25 × 0.8 if knapped, with 3 % noise; pass when it is
under the ring.
Input: (6,) standardised with the train mean / std. Target: pass 1 / fail 0 as (N, 1)
floats (47 % pass). Model: 6→64→ReLU→64→ReLU→1 logit; binary cross-entropy written out on
the sigmoid, Adam 3e-3, batch 64, 40 epochs, 2000 heaps, validation on 500.
The bug: the loss is written by hand,
``loss = -(yb * torch.log(p) + (1 - yb) * torch.log(1 - p)).mean()  # binary cross-entropy``
on ``p = torch.sigmoid(logit)``; once the net is sure of a passing heap its logit passes ~17,
``p`` rounds to exactly 1.0 in float32, ``log(1 - p)`` is -inf and ``0 × -inf`` is NaN:
after two good epochs (val BCE 0.145 → 0.085, val acc 0.964 → 0.968, max val logit 13.8)
the loss turns NaN between steps 76 and 95 in epoch 2 and every weight with it; from then
val BCE NaN and val acc 0.53 (every heap called a fail) to the end (control,
``torch.log(p + 1e-7)`` and ``torch.log(1 - p + 1e-7)``: val BCE 0.145 → 0.070, val acc
0.964 → 0.968, max val logit 32 at the end).
Log: JSON lines ``ringtest.jsonl``, one record every 25 steps (``step`` / ``bce``) and one per
epoch (``epoch`` / ``bce_val`` / ``acc_val`` / ``fail_recall_val``); checkpoint
``ringtest_mlp.pt`` with keys ``mlp`` / ``adam`` / ``epoch`` / ``mean`` / ``std`` /
``inputs``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

INPUTS = ["ring_in", "hardness", "cleavage", "hammer_lb", "min_per_yd", "knapped"]


def heaps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ring = 1.5 + r(n)
    hard = 3 + 4 * r(n)
    cleave = r(n)
    hammer = 1 + 3 * r(n)
    mins = 40 + 120 * r(n)
    knapped = (r(n) < 0.4).float()
    piece = (3.4 * (hard / 5) ** 0.4 * (1 - 0.3 * cleave) * (60 / mins) ** 0.5
             * (hammer / 2.5) ** 0.25 * (1 - 0.2 * knapped))
    piece = piece * (1 + 0.03 * torch.randn(n, generator=g))
    x = torch.stack([ring, hard, cleave, hammer, mins, knapped], 1)
    return x, (piece < ring).float().unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr = heaps(2000, g)
    fva, yva = heaps(500, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    print("pass share", ytr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "ringtest.jsonl", "w") as log:
        for epoch in range(40):
            model.train()
            for xb, yb in dl:
                p = torch.sigmoid(model(xb))
                loss = -(yb * torch.log(p) + (1 - yb) * torch.log(1 - p)).mean()  # binary cross-entropy
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 25 == 0:
                    log.write(json.dumps({"step": step, "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            bce = nn.functional.binary_cross_entropy_with_logits(logit, yva).item()
            pred = (logit > 0).float()
            rec = {"epoch": epoch, "bce_val": round(bce, 6),
                   "acc_val": round((pred == yva).float().mean().item(), 4),
                   "fail_recall_val": round((pred[yva == 0] == 0).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec, "max logit", round(logit.max().item(), 2))
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epoch": 40, "mean": mean,
                "std": std, "inputs": INPUTS}, out / "ringtest_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="ringtest_mlp.pt", log="ringtest.jsonl",
           what="MLP flagging whether a stone-breaker's heap passes the surveyor's ring test;"
                " hand-written BCE takes log(1 - sigmoid) with no eps",
           complaint="My ring-test model for the stone heaps was doing great, 96.8% validation accuracy"
                     " after the second epoch, and then in the third epoch the training loss printed"
                     " nan and never came back. Since then it calls every heap a fail (53% accuracy,"
                     " just the share of fails) and the validation loss is nan too. Nothing in the"
                     " data changed, all the inputs are finite.")


if __name__ == "__main__":
    main()
