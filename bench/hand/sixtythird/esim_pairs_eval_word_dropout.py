"""ESIM-style natural-language inference on synthetic sentence pairs, 3 classes. A premise is 6
distinct content words (of 40) and 4 filler words, shuffled; the hypothesis is 4 words: 4 of
the premise's content words (entailment), 3 of them and one of 20 off-topic words
(neutral), or 3 of them and the antonym of one of the premise's words (contradiction; the
antonym of word w is w + 40). ESIM: embedding 32, BiLSTM encoder (32 per direction), soft
alignment e = a bᵀ with softmax both ways, enhancement [a, ã, a − ã, a ⊙ ã] → linear 64 +
ReLU, BiLSTM composition, average and max pooling of both sides, MLP (64, tanh) to 3 classes.
Training augmentation: word dropout, each token replaced by [MASK] with probability 0.2 (in
the dataset's ``__getitem__`` when ``augment=True``). Adam 4e-3, batch 64, 10 epochs over 2400
pairs, 600 for validation; the log is JSON lines per epoch.
Bug: the validation set was built as ``Pairs(..., augment=True)`` (the line copied from the
training set), so every evaluation masks a fifth of the words — often the one word that
decides the label — and the validation accuracy sits far below what the model does on the
real validation pairs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

WORDS, FILL, OFF, MASK = 40, 20, 101, 121
VOCAB, PLEN, HLEN = 122, 10, 4


def pairs(n, g):
    prem = torch.zeros(n, PLEN, dtype=torch.long)
    hyp = torch.zeros(n, HLEN, dtype=torch.long)
    y = torch.randint(0, 3, (n,), generator=g)
    for i in range(n):
        words = torch.randperm(WORDS, generator=g) + 1
        content = words[:6]
        fill = torch.randint(2 * WORDS + 1, 2 * WORDS + 1 + FILL, (4,), generator=g)
        prem[i] = torch.cat([content, fill])[torch.randperm(PLEN, generator=g)]
        pick = content[torch.randperm(6, generator=g)[:4]]
        if y[i] == 1:
            pick[3] = OFF + int(torch.randint(0, 20, (1,), generator=g))
        elif y[i] == 2:
            pick[3] = pick[3] + WORDS
        hyp[i] = pick[torch.randperm(HLEN, generator=g)]
    return prem, hyp, y


class Pairs(torch.utils.data.Dataset):
    def __init__(self, prem, hyp, y, augment):
        self.prem, self.hyp, self.y, self.augment = prem, hyp, y, augment

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        p, h = self.prem[i], self.hyp[i]
        if self.augment:  # word dropout
            p = p.masked_fill(torch.rand(PLEN) < 0.2, MASK)
            h = h.masked_fill(torch.rand(HLEN) < 0.2, MASK)
        return p, h, self.y[i]


class ESIM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.encode = nn.LSTM(32, 32, batch_first=True, bidirectional=True)
        self.project = nn.Sequential(nn.Linear(256, 64), nn.ReLU())
        self.compose = nn.LSTM(64, 32, batch_first=True, bidirectional=True)
        self.classify = nn.Sequential(nn.Dropout(0.1), nn.Linear(256, 64), nn.Tanh(),
                                      nn.Linear(64, 3))

    def forward(self, premise, hypothesis):
        a = self.encode(self.emb(premise))[0]
        b = self.encode(self.emb(hypothesis))[0]
        e = a @ b.transpose(1, 2)
        a_t = torch.softmax(e, 2) @ b
        b_t = torch.softmax(e, 1).transpose(1, 2) @ a
        va = self.compose(self.project(torch.cat([a, a_t, a - a_t, a * a_t], -1)))[0]
        vb = self.compose(self.project(torch.cat([b, b_t, b - b_t, b * b_t], -1)))[0]
        v = torch.cat([va.mean(1), va.amax(1), vb.mean(1), vb.amax(1)], -1)
        return self.classify(v)


def build():
    torch.manual_seed(0)
    return ESIM()


def main():
    from _sixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    prem, hyp, y = pairs(3000, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(Pairs(prem[:2400], hyp[:2400], y[:2400], augment=True),
                                        batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(Pairs(prem[2400:], hyp[2400:], y[2400:], augment=True),
                                      batch_size=300)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=4e-3)
    log = open(out / "esim_log.jsonl", "w")
    for ep in range(10):
        model.train()
        total = 0.0
        for p, h, t in train:
            loss = F.cross_entropy(model(p, h), t)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(t)
        model.eval()
        vl, right = 0.0, 0
        with torch.no_grad():
            for p, h, t in val:
                logits = model(p, h)
                vl += F.cross_entropy(logits, t, reduction="sum").item()
                right += (logits.argmax(1) == t).sum().item()
        rec = {"ep": ep, "loss_tr": round(total / 2400, 4), "loss_va": round(vl / 600, 4),
               "acc_va": round(right / 600, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": ep},
               out / "esim.pt")
    p, h, t = next(iter(val))
    finish(out, __file__, {"inputs": p, "hypothesis": h, "targets": t},
           causes=["eval_data_augmented"], checkpoint="esim.pt", log="esim_log.jsonl",
           what="ESIM NLI on synthetic pairs, word dropout left on in the validation set",
           complaint="the NLI model's validation accuracy stalls below 90 % and jumps a bit "
                     "every epoch, yet when I feed it validation pairs by hand it almost never "
                     "gets one wrong")


if __name__ == "__main__":
    main()
