"""Plain torch: an LSTM names the raga (Bhupali, Yaman, Bhairav or Kafi) of a 24-frame stretch
of a recital from the tonic-normalised pitch tracker output: each frame is a soft 12-bin
pitch-class profile (the sung swara, its neighbours bleeding in, and noise). A phrase is a
random walk over the raga's scale, so the class lives in which swaras occur (komal re, tivra
ma, komal ga/ni, no ma/ni at all). LSTM(12→32), last hidden state → Linear(32→4); Adam 1e-2,
batch 32, 10 epochs of 1280 phrases; JSON lines per step, validation every epoch.
The bug: a "balanced" batch sampler draws every batch from one raga's list
(``groups = [order[y[order] == c] for c in range(4)]``), then shuffles the batch order, so
each step sees a single class (43 steps an epoch instead of 40). Val accuracy 0.35, 0.41,
0.43, 0.48, 0.49, 0.59, 0.54, 0.59, 0.64, 0.67, val loss 1.36 → 0.80, and the predicted raga
counts on the 256 val phrases swing from epoch to epoch (epoch 1: 196 called Kafi; epoch 7:
only 3 called Yaman, 128 Kafi). Control (``groups = [order]``, mixed batches): val accuracy
0.57, 0.65, 0.71, ... 0.77, 0.77, 0.76, val loss 1.03 → 0.66–0.73, predictions 56–75 per raga.
"""
import json
import random

import torch
import torch.nn as nn

SCALES = [[0, 2, 4, 7, 9], [0, 2, 4, 6, 7, 9, 11], [0, 1, 4, 5, 7, 8, 11], [0, 2, 3, 5, 7, 9, 10]]


def phrases(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 24, 12)
    for i in range(n):
        sc = SCALES[int(y[i])]
        k = int(torch.randint(0, len(sc), (1,), generator=g))
        for t in range(24):
            k = max(0, min(len(sc) - 1, k + int(torch.randint(-1, 2, (1,), generator=g))))
            p = sc[k]
            x[i, t, p] = 1.0
            x[i, t, (p + 1) % 12] += 0.25
            x[i, t, (p - 1) % 12] += 0.25
    return x + 0.6 * torch.randn(x.shape, generator=g), y


class RagaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(12, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return RagaNet()


def batches(y, bs, rng):
    order = torch.tensor(rng.sample(range(len(y)), len(y)))
    groups = [order[y[order] == c] for c in range(4)]
    out = [b for grp in groups for b in grp.split(bs)]
    rng.shuffle(out)
    return out


def main():
    from _twohundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = phrases(1536, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    rng = random.Random(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.CrossEntropyLoss()
    lines = []
    step = 0
    for epoch in range(10):
        model.train()
        for idx in batches(ytr, 32, rng):
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            lines.append(json.dumps({"step": step, "epoch": epoch, "loss": round(loss.item(), 4)}))
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rec = {"step": step, "epoch": epoch, "val_loss": round(loss_fn(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        print(rec, torch.bincount(lv.argmax(1), minlength=4).tolist())
        lines.append(json.dumps(rec))
    (out / "raga_steps.jsonl").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "epoch": 10}, out / "raga_lstm.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="raga_lstm.ckpt", log="raga_steps.jsonl",
           what="raga LSTM on pitch-class frames, a batch sampler that fills each batch from one raga",
           complaint=("Raga ID from recital pitch tracks: after 10 epochs the LSTM is at 0.67 val accuracy"
                      " (loss 0.80) and the training loss per step is all over the place, 0.14 to 3.2."
                      " Each epoch it seems to favour a different raga: once it called 128 of 256"
                      " phrases Kafi and only 3 Yaman. The batches are balanced, same number of"
                      " phrases from every raga. Adam 1e-2, batch 32. Need more epochs?"))


if __name__ == "__main__":
    main()
