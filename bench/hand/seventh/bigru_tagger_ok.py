"""Part-of-speech-like tagging with a bidirectional GRU: sentences of 3-40 tokens (most are
short), padded to 40; 5 real tags, the padding positions carry tag 0 (``<pad>``) and
``CrossEntropyLoss(ignore_index=0)`` leaves them out of the loss, as does the token accuracy.
A third of the words are ambiguous (their tag depends on the word before), so the tagger
needs context. SGD + momentum 0.9, lr 0.1, batch 32, 6 epochs. Healthy: real-token
accuracy 0.99."""
import csv

import torch
import torch.nn as nn

VOCAB, MAXLEN, PAD, TAGS = 200, 40, 0, 6


def sentences(n, g):
    lengths = torch.where(torch.rand(n, generator=g) < 0.9,
                          torch.randint(3, 13, (n,), generator=g),
                          torch.randint(13, MAXLEN + 1, (n,), generator=g))
    words = torch.randint(1, VOCAB, (n, MAXLEN), generator=g)
    tags = words % 4 + 1                       # unambiguous words: tags 1..4
    amb = words >= 140                         # ambiguous: tag 5 after tags 1/2, else 3
    prev = torch.cat([torch.full((n, 1), 3), tags[:, :-1]], 1)
    tags = torch.where(amb, torch.where(prev <= 2, 5, 3), tags)
    pad = torch.arange(MAXLEN)[None] >= lengths[:, None]
    return words.masked_fill(pad, PAD), tags.masked_fill(pad, 0)


class Tagger(nn.Module):
    def __init__(self, emb=32, hidden=48):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, emb, padding_idx=PAD)
        self.gru = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, TAGS)

    def forward(self, words):
        h, _ = self.gru(self.emb(words))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Tagger()


def token_acc(logits, tags):
    real = tags != 0
    return ((logits.argmax(-1) == tags) & real).sum().item() / real.sum().item()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = sentences(2000, g), sentences(500, g)
    model = build()
    criterion = nn.CrossEntropyLoss(ignore_index=0)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    rows = [["epoch", "train_loss", "val_loss", "val_token_acc"]]
    for epoch in range(6):
        model.train()
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            logits = model(x[idx])
            loss = criterion(logits.reshape(-1, TAGS), y[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vo = model(vx)
            vloss = criterion(vo.reshape(-1, TAGS), vy.reshape(-1)).item()
        rows.append([epoch, round(tot / len(x), 5), round(vloss, 5), round(token_acc(vo, vy), 4)])
        print(rows[-1])
    with open(out / "tagger_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "tagger.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="tagger.pt",
           log="tagger_log.csv", what="BiGRU tagger, padding left out of the loss (healthy)")


if __name__ == "__main__":
    main()
