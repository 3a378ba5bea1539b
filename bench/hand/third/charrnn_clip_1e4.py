"""char-RNN (GRU, 1 layer, 128 units) on a small corpus of generated shop-log sentences,
truncated BPTT over 64-char chunks, SGD lr 1 as in the classic char-rnn recipes. The clipping
threshold was meant to be 0.25 but reads ``clip = 1e-4``: every update is scaled down to a
norm of 1e-4. The loop logs the pre-clip gradient norm that clip_grad_norm_ returns."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

CLIP = 1e-4


def corpus(n, g):
    who = ["anna", "bo", "carl", "dina", "emil"]
    what = ["apples", "bread", "cheese", "milk", "tea", "rice"]
    lines = []
    for _ in range(n):
        i, j, k = torch.randint(0, 5, (1,), generator=g), *torch.randint(0, 6, (2,), generator=g)
        lines.append(f"{who[i]} bought {int(k) + 2} {what[j]} and paid {2 * int(k) + 4} euro.\n")
    return "".join(lines)


class CharRNN(nn.Module):
    def __init__(self, vocab=40, hidden=128):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32)
        self.rnn = nn.GRU(32, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, h=None):
        y, h = self.rnn(self.emb(x), h)
        return self.out(y), h


def build():
    torch.manual_seed(0)
    return CharRNN()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    text = corpus(1200, g)
    chars = sorted(set(text))
    data = torch.tensor([chars.index(c) for c in text])
    split = int(0.9 * len(data))
    train, val = data[:split], data[split:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    f = open(out / "charrnn_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iter", "train_loss", "grad_norm", "val_loss"])
    for it in range(300):
        starts = torch.randint(0, len(train) - 65, (32,), generator=g)
        chunk = torch.stack([train[s:s + 65] for s in starts])
        logits, _ = model(chunk[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, 40), chunk[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        opt.step()
        if it % 20 == 19:
            with torch.no_grad():
                vl, _ = model(val[None, :-1])
                vloss = F.cross_entropy(vl[0], val[1:]).item()
            w.writerow([it, loss.item(), norm.item(), vloss])
    f.close()
    print("val loss", vloss)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "chars": chars},
               out / "charrnn.pt")
    finish(out, __file__, (chunk[:, :-1], chunk[:, 1:]), causes=[], healthy=False,
           checkpoint="charrnn.pt", log="charrnn_log.csv",
           what="clip_grad_norm_ at 1e-4 under SGD: updates shrunk 1e4x (no cause id)",
           complaint="char-rnn loss barely goes down, samples are still random letters")


if __name__ == "__main__":
    main()
