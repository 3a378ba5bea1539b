"""Character-level GRU language model over a library's shelf list: a stream of Library of
Congress call numbers as the catalogue exports them, one per line — class letters drawn from a
skewed list (QA, PR, HV, Z, ...), a class number (1–4 digits, sometimes with a decimal), a
first and often a second Cutter (".B57 .K4"), a year and sometimes "v.3" or "c.2". 41
characters; batchified into 16 parallel streams (the word_language_model recipe), truncated
BPTT of 20 characters, embedding 24, one GRU layer of 96, a linear head; SGD written by hand
(``p.data.add_(p.grad, alpha=-lr)``) at lr 2 with ``clip_grad_norm_(…, 0.5)``, 3 epochs of
40 chunks, hidden reset at each epoch; a CSV every 5 chunks (epoch, batch, train loss,
gradient norm before clipping, ms per batch) and a valid loss at each epoch end.
Bug: the hidden state is handed from chunk to chunk as it comes out of the GRU (the recipe's
``repackage_hidden`` was dropped), and ``loss.backward(retain_graph=True)`` was added when
PyTorch complained about backwarding through the graph a second time: every step backwards
through all chunks since the epoch start, so ms per batch grows within each epoch (saw-tooth)
while the loss is barely touched: ms per batch 9–15 at each epoch start, 50–90 by chunk 25–35
(saw-tooth; wall-clock, so it varies with the machine's load), 6.5 s CPU, valid loss 2.147 → 1.743 → 1.659; the control (``model(x,
hidden.detach())``) runs 4–9 ms per batch flat, 1.8 s CPU, the gradient norm before clipping 0.33–0.84 in
both runs, valid loss 2.144 → 1.750 → 1.667."""
import csv
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CHARS = "\n .0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZcv"
CLASSES = ["QA", "QA", "QA", "PR", "PR", "HV", "Z", "Z", "PS", "BF", "DA", "QH", "TK", "ML",
           "N", "KF", "E", "GV"]


def call_number(g):
    r = lambda k: int(torch.randint(0, k, (1,), generator=g))  # noqa: E731
    s = CLASSES[r(len(CLASSES))] + str(1 + r(9999 if r(2) else 999))
    if r(3) == 0:
        s += "." + str(r(99))
    s += " ." + CHARS[13 + r(26)] + str(1 + r(99))
    if r(2):
        s += " ." + CHARS[13 + r(26)] + str(1 + r(9))
    s += " " + str(1950 + r(75))
    if r(6) == 0:
        s += " v." + str(1 + r(12))
    elif r(8) == 0:
        s += " c." + str(2 + r(3))
    return s + "\n"


def shelf_list(n_chars, g):
    text = ""
    while len(text) < n_chars:
        text += call_number(g)
    return torch.tensor([CHARS.index(c) for c in text[:n_chars]])


def batchify(ids, bsz):
    n = len(ids) // bsz
    return ids[:n * bsz].view(bsz, n).t().contiguous()  # (time, batch)


class CharGRU(nn.Module):
    def __init__(self, vocab=41, emb=24, hidden=96):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.gru = nn.GRU(emb, hidden)
        self.head = nn.Linear(hidden, vocab)
        self.hidden = hidden

    def init_hidden(self, bsz):
        return torch.zeros(1, bsz, self.hidden)

    def forward(self, x, h=None):
        out, h = self.gru(self.emb(x), h)
        return self.head(out), h


def build():
    torch.manual_seed(0)
    return CharGRU()


def evaluate(model, data, bptt=20):
    model.eval()
    h, tot, n = model.init_hidden(data.shape[1]), 0.0, 0
    with torch.no_grad():
        for i in range(0, data.shape[0] - 1 - bptt, bptt):
            out, h = model(data[i:i + bptt], h)
            tot += F.cross_entropy(out.flatten(0, 1), data[i + 1:i + 1 + bptt].flatten()).item()
            n += 1
    return tot / n


def main():
    from _hundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    train = batchify(shelf_list(16 * 801, g), 16)
    valid = batchify(shelf_list(8 * 401, g), 8)
    model = build()
    lr, clip, bptt = 2.0, 0.5, 20
    f = open(out / "shelflist_lm.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "batch", "train_loss", "grad_norm", "ms_batch", "valid_loss"])
    for epoch in range(1, 4):
        model.train()
        hidden = model.init_hidden(16)
        run, k = 0.0, 0
        t0 = time.perf_counter()
        for batch, i in enumerate(range(0, train.shape[0] - 1 - bptt, bptt)):
            x, y = train[i:i + bptt], train[i + 1:i + 1 + bptt]
            model.zero_grad()
            out_, hidden = model(x, hidden)
            loss = F.cross_entropy(out_.flatten(0, 1), y.flatten())
            loss.backward(retain_graph=True)
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), clip).item()
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
            run += loss.item()
            k += 1
            if (batch + 1) % 5 == 0:
                ms = (time.perf_counter() - t0) * 1000 / k
                w.writerow([epoch, batch + 1, round(run / k, 4), round(gn, 4), round(ms, 1), ""])
                print(epoch, batch + 1, round(run / k, 3), round(gn, 3), round(ms, 1))
                run, k, t0 = 0.0, 0, time.perf_counter()
        vl = evaluate(model, valid)
        w.writerow([epoch, batch + 1, "", "", "", round(vl, 4)])
        print("valid", epoch, round(vl, 4))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "lr": lr, "clip": clip, "bptt": bptt,
                "epoch": 3, "chars": CHARS}, out / "shelflist_gru.pt")
    x, y = valid[:bptt], valid[1:bptt + 1]
    finish(out, __file__, (x, y), causes=["rnn_state_not_detached"],
           checkpoint="shelflist_gru.pt", log="shelflist_lm.csv",
           what="char GRU LM on call numbers, TBPTT 20, hidden never detached, retain_graph=True",
           complaint=COMPLAINT)


COMPLAINT = ("My character model of our shelf-list call numbers gets slower and slower inside "
             "every epoch: about 10-15 ms per batch at the start of an epoch, 50-90 ms per batch by "
             "batch 25-35, then fast again at the next epoch. The loss itself goes down (valid "
             "2.15 -> 1.74 -> 1.66), but I had to add retain_graph=True to make backward run "
             "at all and I don't understand why it keeps slowing down.")

if __name__ == "__main__":
    main()
