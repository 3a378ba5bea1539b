"""Character-level GRU language model on a synthetic protein-like stream, truncated BPTT in the
style of PyTorch's word_language_model example. 20 amino-acid letters plus an end-of-protein
mark; proteins are drawn from a second-order chain with a few recurring motifs (helix-like
"EELLKK" repeats, a "GxGxxG" loop, hydrophobic stretches), 40–160 residues each, and joined into
one long stream that is cut into 16 parallel columns. Embedding 24, one GRU layer of 96, a linear
head; chunks of 35 characters, plain SGD written by hand (``p.data.add_(p.grad, alpha=-lr)``) at
lr 2.0 with gradient norm clipped at 0.25, 3 epochs, the hidden state reset at each epoch's start.
The log is CSV (``it``, ``epoch``, ``loss`` and ``ms_batch`` (that chunk's step time) every 5
chunks; ``valid_loss`` and ``valid_ppl`` per epoch on a held-out stream).
Bug: the hidden state is carried from chunk to chunk without ``.detach()`` (the example's
``repackage_hidden`` left out) and ``backward(retain_graph=True)`` was added to silence "Trying
to backward through the graph a second time": every chunk back-propagates through the whole
epoch so far, through weights that have changed since, so the steps grow noisy and costly."""
import csv
import math
import time

import torch
import torch.nn as nn

AA = "ACDEFGHIKLMNPQRSTVWY"
VOCAB, COLS, BPTT = len(AA) + 1, 16, 35


def stream(n_prot, g):
    base = torch.rand(VOCAB - 1, VOCAB - 1, VOCAB - 1, generator=g) ** 3
    base = base / base.sum(-1, keepdim=True)
    motifs = ["EELLKKEELLKK", "GAGSSG", "LIVVAILV", "KDPETGE"]
    out = []
    for _ in range(n_prot):
        seq = [int(torch.randint(0, 20, (1,), generator=g)) for _ in range(2)]
        n = int(torch.randint(40, 160, (1,), generator=g))
        while len(seq) < n:
            if float(torch.rand(1, generator=g)) < 0.04:
                seq += [AA.index(c) for c in motifs[int(torch.randint(0, 4, (1,), generator=g))]]
            else:
                seq.append(int(torch.multinomial(base[seq[-2], seq[-1]], 1, generator=g)))
        out += seq + [VOCAB - 1]
    return torch.tensor(out)


def columns(data):
    n = len(data) // COLS
    return data[:n * COLS].view(COLS, n)


class CharGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 24)
        self.rnn = nn.GRU(24, 96, batch_first=True)
        self.head = nn.Linear(96, VOCAB)

    def forward(self, x, h=None):
        o, h = self.rnn(self.emb(x), h)
        return self.head(o), h


def build():
    torch.manual_seed(0)
    return CharGRU()


def evaluate(model, data):
    model.eval()
    total, count, h = 0.0, 0, None
    with torch.no_grad():
        for i in range(0, data.size(1) - 1, BPTT):
            x, y = data[:, i:i + BPTT], data[:, i + 1:i + 1 + BPTT]
            x = x[:, :y.size(1)]
            logits, h = model(x, h)
            total += nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1),
                                                 reduction="sum").item()
            count += y.numel()
    return total / count


def main():
    from _fiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, valid = columns(stream(170, g)), columns(stream(40, g))
    model = build()
    lr, clip = 2.0, 0.25
    f = open(out / "lm_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["it", "epoch", "loss", "ms_batch", "valid_loss", "valid_ppl"])
    it = 0
    for epoch in range(3):
        model.train()
        h = None
        for i in range(0, train.size(1) - 1 - BPTT, BPTT):
            t0 = time.perf_counter()
            x, y = train[:, i:i + BPTT], train[:, i + 1:i + 1 + BPTT]
            logits, h = model(x, h)
            loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
            model.zero_grad()
            loss.backward(retain_graph=True)
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
            it += 1
            if it % 5 == 0:
                log.writerow([it, epoch, round(loss.item(), 4),
                             round(1000 * (time.perf_counter() - t0), 1), "", ""])
        vl = evaluate(model, valid)
        log.writerow([it, epoch, "", "", round(vl, 4), round(math.exp(vl), 3)])
        print(epoch, it, round(loss.item(), 4), round(vl, 4))
    f.close()
    torch.save({"model": model.state_dict(), "lr": lr, "clip": clip, "epoch": epoch,
                "iterations": it}, out / "protein_gru.pt")
    x, y = train[:, :BPTT], train[:, 1:1 + BPTT]
    finish(out, __file__, (x, y), causes=["rnn_state_not_detached"],
           checkpoint="protein_gru.pt", log="lm_log.csv",
           what="char GRU LM on protein-like stream, TBPTT 35, hidden state never detached",
           complaint="the protein language model gets slower with every batch within an epoch "
                     "(ms per batch keeps growing until the epoch ends) and three epochs take "
                     "far longer than they should")


if __name__ == "__main__":
    main()
