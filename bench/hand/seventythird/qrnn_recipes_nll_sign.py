"""A character-level QRNN language model (Bradbury et al.: a causal width-2 convolution gives
the candidate Z = tanh, forget F = sigmoid and output O = sigmoid gates for all steps at once,
then "fo-pooling" c_t = f_t·c_{t−1} + (1 − f_t)·z_t, h_t = o_t·c_t is the only sequential part;
2 layers of 64, embedding 24, dropout 0.1 between layers) on synthetic recipe steps ("chop 2
onions and fry for 5 minutes.", "whisk the eggs with a pinch of salt."), 39 characters, windows
of 32 characters. Adam 3e-3, clip 1.0, batch 32, 160 steps; every 20 steps a JSON line with the
mean training loss and the validation cross-entropy / bits per character (``F.cross_entropy``
on 64 held-out windows); checkpoint dict ``lm`` / ``adam`` / ``vocab`` (+ ``step``).
Bug: the loss is written by hand from the log-probabilities, ``nll = logp.gather(-1,
y[..., None]).squeeze(-1)`` then ``loss = nll.mean()`` — the minus sign of the negative
log-likelihood is missing, so the optimiser *lowers* the probability of the right character:
the logged training "nll" goes negative and keeps falling, the validation cross-entropy rises
far above the uniform ln 39 ≈ 3.66."""
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

CHARS = " abcdefghijklmnopqrstuvwxyz0123456789.,"  # 39
STOI = {c: i for i, c in enumerate(CHARS)}
WIN = 32


def recipes(n, rnd):
    verbs = ["chop", "slice", "dice", "peel", "grate", "mince"]
    things = ["onions", "carrots", "garlic cloves", "potatoes", "tomatoes", "leeks"]
    cook = ["fry", "boil", "roast", "bake", "simmer", "steam"]
    lines = []
    for _ in range(n):
        k = rnd.randrange(4)
        if k == 0:
            s = (f"{rnd.choice(verbs)} {rnd.randint(1, 6)} {rnd.choice(things)} and "
                 f"{rnd.choice(cook)} for {rnd.randint(2, 30)} minutes.")
        elif k == 1:
            s = f"whisk the eggs with a pinch of {rnd.choice(['salt', 'sugar', 'pepper'])}."
        elif k == 2:
            s = (f"{rnd.choice(cook)} the {rnd.choice(things)} at {rnd.choice([160, 180, 200])} "
                 f"degrees until golden.")
        else:
            s = f"season to taste, stir well and serve with {rnd.choice(['rice', 'bread'])}."
        lines.append(s)
    return " ".join(lines)


def windows(text, n, rnd):
    ids = torch.tensor([STOI[c] for c in text])
    starts = torch.tensor([rnd.randrange(len(ids) - WIN - 1) for _ in range(n)])
    x = torch.stack([ids[s:s + WIN] for s in starts])
    y = torch.stack([ids[s + 1:s + WIN + 1] for s in starts])
    return x, y


class QRNNLayer(nn.Module):
    def __init__(self, cin, hidden):
        super().__init__()
        self.hidden = hidden
        self.conv = nn.Conv1d(cin, 3 * hidden, 2)

    def forward(self, x):  # x: (B, T, C)
        g = self.conv(F.pad(x.transpose(1, 2), (1, 0))).transpose(1, 2)
        z, f, o = g.chunk(3, -1)
        z, f, o = torch.tanh(z), torch.sigmoid(f), torch.sigmoid(o)
        c = torch.zeros_like(z[:, 0])
        hs = []
        for t in range(z.shape[1]):
            c = f[:, t] * c + (1 - f[:, t]) * z[:, t]
            hs.append(o[:, t] * c)
        return torch.stack(hs, 1)


class QRNNLM(nn.Module):
    def __init__(self, vocab=len(CHARS), emb=24, hidden=64):  # noqa: B008
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.l1, self.l2 = QRNNLayer(emb, hidden), QRNNLayer(hidden, hidden)
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x):
        return self.out(self.drop(self.l2(self.drop(self.l1(self.emb(x))))))


def build():
    torch.manual_seed(0)
    return QRNNLM()


def main():
    from _seventythird import finish, out_dir
    out = out_dir(__file__)
    rnd = random.Random(0)
    train_text, val_text = recipes(900, rnd), recipes(150, rnd)
    xva, yva = windows(val_text, 64, rnd)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "qrnn_lm.jsonl", "w")
    run = []
    for step in range(1, 161):
        x, y = windows(train_text, 32, rnd)
        model.train()
        logp = model(x).log_softmax(-1)
        nll = logp.gather(-1, y[..., None]).squeeze(-1)
        loss = nll.mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run.append(loss.item())
        if step % 20 == 0:
            model.eval()
            with torch.no_grad():
                vce = F.cross_entropy(model(xva).flatten(0, 1), yva.flatten()).item()
            row = {"step": step, "nll": round(sum(run) / len(run), 4),
                   "val_ce": round(vce, 4), "val_bpc": round(vce / 0.6931, 4)}
            run = []
            log.write(json.dumps(row) + "\n")
            print(row)
    log.close()
    torch.save({"lm": model.state_dict(), "adam": opt.state_dict(), "vocab": CHARS,
                "step": 160}, out / "qrnn_lm_step160.pt")
    finish(out, __file__, (xva, yva), causes=["loss_sign_error"],
           checkpoint="qrnn_lm_step160.pt", log="qrnn_lm.jsonl",
           what="QRNN char LM on recipe text, hand-written NLL without its minus sign",
           complaint="训练的 loss 一直在降，已经降到负数了还在往下走，可是验证集的交叉熵反而越来越大，"  # noqa: E501
                     "生成出来的文字全是乱码。这是怎么回事？")


if __name__ == "__main__":
    main()
