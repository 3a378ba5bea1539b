"""ULMFiT-style review sentiment with an AWD-LSTM classifier trained from scratch on synthetic
product reviews: 8–20 words from a 60-word vocabulary (filler words, 10 positive and 10 negative
opinion words, and "not" / "never", which flip the next opinion word), 1–3
opinions per review; the label is the sign of the summed (flipped) opinions, ties dropped, 4 %
of the labels wrong. Left padding with token 0 (as fastai pads for classification).
AWD-LSTM-lite: embedding 32 with embedding dropout 0.1, 2 hand-written LSTM layers of 48
(weight-dropped hidden-to-hidden matrix, DropConnect 0.2 per batch), locked (variational)
dropout 0.2 between layers; the ULMFiT concat-pooling head [last hidden, max-pool, mean-pool
over real tokens] → linear 48 → ReLU → linear 2. Adam 1e-2, gradient clipping at norm 1, batch
64, 8 epochs of 1536 reviews; JSON lines per epoch (mean train loss, val loss, val accuracy,
which groups are trainable). The ULMFiT recipe's gradual unfreezing was copied: epoch 0 trains
the head only, from epoch 1 everything. Bug: the unfreeze loop reads ``for p in
model.encoder.parameters(): p.requires_grad_ = True`` — an attribute assignment
(``requires_grad_`` is the in-place method, the flag is ``requires_grad``), which Python accepts
silently. The embedding and both LSTM layers stay frozen at their random init for the whole run
(the log's "trainable" field says what the script believes: "all"); only the head learns, on the
features of a random 2-layer LSTM, and gets nothing out of them: the train loss stays at
0.69–0.695 (ln 2 = 0.693) and val accuracy at chance (0.46–0.54) for 8 epochs (the control with
``p.requires_grad = True``: val accuracy 0.89, val loss 0.32, train loss 0.37)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, PAD = 60, 20, 0
POS, NEG, NOT = list(range(10, 20)), list(range(20, 30)), (3, 4)


def reviews(n, g, noise_labels=0.0):
    ids, ys = torch.zeros(n, LEN, dtype=torch.long), []
    i = 0
    while i < n:
        length = int(torch.randint(8, LEN + 1, (1,), generator=g))
        words = torch.randint(30, VOCAB, (length,), generator=g)
        score = 0
        perm = torch.randperm(length - 1, generator=g)
        for pos in perm[:int(torch.randint(1, 4, (1,), generator=g))].sort().values.tolist():
            if words[pos] in NOT or (pos > 0 and words[pos - 1] in NOT):
                continue
            sign = 1 if float(torch.rand(1, generator=g)) < 0.5 else -1
            flip = float(torch.rand(1, generator=g)) < 0.3 and pos > 0
            word = (POS if sign > 0 else NEG)[int(torch.randint(0, 10, (1,), generator=g))]
            if flip:
                words[pos - 1] = NOT[int(torch.randint(0, 2, (1,), generator=g))]
                sign = -sign
            words[pos] = word
            score += sign
        if score == 0:
            continue
        ids[i, LEN - length:] = words
        ys.append(int(score > 0))
        i += 1
    y = torch.tensor(ys)
    flip = torch.rand(n, generator=g) < noise_labels
    return ids, torch.where(flip, 1 - y, y)


class WDLSTM(nn.Module):
    """One LSTM layer with DropConnect on the hidden-to-hidden weights (AWD-LSTM's weight drop)."""

    def __init__(self, nin, nh, weight_p=0.2):
        super().__init__()
        self.nh, self.weight_p = nh, weight_p
        self.w_ih = nn.Linear(nin, 4 * nh)
        self.w_hh = nn.Parameter(torch.empty(4 * nh, nh).uniform_(-nh ** -0.5, nh ** -0.5))

    def forward(self, x):
        w_hh = F.dropout(self.w_hh, self.weight_p, self.training)
        h = c = x.new_zeros(x.shape[0], self.nh)
        gates_x = self.w_ih(x)
        outs = []
        for t in range(x.shape[1]):
            i, f, g, o = (gates_x[:, t] + h @ w_hh.t()).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            outs.append(h)
        return torch.stack(outs, 1)


def locked_dropout(x, p, training):
    if not training or p == 0:
        return x
    mask = x.new_empty(x.shape[0], 1, x.shape[2]).bernoulli_(1 - p) / (1 - p)
    return x * mask


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32, padding_idx=PAD)
        self.rnns = nn.ModuleList([WDLSTM(32, 48), WDLSTM(48, 48)])

    def forward(self, ids):
        w = self.emb.weight
        if self.training:  # embedding dropout: whole words dropped
            w = w * w.new_empty(VOCAB, 1).bernoulli_(0.9) / 0.9
        h = F.embedding(ids, w, PAD)
        for rnn in self.rnns:
            h = rnn(locked_dropout(h, 0.2, self.training))
        return h


class AWDClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Sequential(nn.Linear(3 * 48, 48), nn.ReLU(), nn.Dropout(0.1),
                                  nn.Linear(48, 2))

    def forward(self, ids):
        h = self.encoder(ids)
        real = (ids != PAD).unsqueeze(-1)
        mx = h.masked_fill(~real, -1e4).max(1).values
        mean = (h * real).sum(1) / real.sum(1)
        return self.head(torch.cat([h[:, -1], mx, mean], 1))


def build():
    torch.manual_seed(0)
    return AWDClassifier()


def main():
    from _eightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = reviews(1792, g, noise_labels=0.04)
    xtr, ytr, xva, yva = ids[:1536], y[:1536], ids[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for p in model.encoder.parameters():  # ULMFiT: first epoch trains the head only
        p.requires_grad = False
    trainable = "head"
    with open(out / "awd_epochs.jsonl", "w") as log:
        for epoch in range(8):
            if epoch == 1:  # gradual unfreezing (one group here): unfreeze the encoder
                for p in model.encoder.parameters():
                    p.requires_grad_ = True
                trainable = "all"
            model.train()
            tot = 0.0
            for idx in torch.randperm(1536, generator=g).split(64):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": epoch + 1, "trainable": trainable, "train_loss": round(tot / 1536, 4),
                   "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder_and_head": model.state_dict(), "opt": opt.state_dict(),
                "epoch": 8, "vocab_size": VOCAB, "pad_idx": PAD}, out / "awd_clas_final.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="awd_clas_final.pt", log="awd_epochs.jsonl",
           what="AWD-LSTM review classifier whose encoder is never unfrozen "
                "(requires_grad_ = True)",
           complaint="I followed the ULMFiT recipe for my review classifier (head first, then "
                     "unfreeze everything), but after 8 epochs it is still a coin flip: the loss "
                     "sits at 0.69 and validation accuracy around 50 %, even though the reviews "
                     "are short and the sentiment words are obvious.")


if __name__ == "__main__":
    main()
