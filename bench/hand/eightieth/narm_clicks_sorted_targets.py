"""NARM (Neural Attentive session-based Recommendation) on synthetic click sessions of a web
shop: 300 items in 12 categories (item 0 is padding); every item has 3 likely successors in its
category, a session starts at a random item and walks them (80 %) or jumps to a random item of
the same category (15 %) or anywhere (5 %), 3–12 clicks. The model sees a session prefix and
predicts the next click. Item embeddings 32, a GRU 48; the global encoder is the last hidden
state, the local encoder an attention over all hidden states (q = A1 h_t, k = A2 h_j,
v^T sigmoid(.)), padding masked; [c_global, c_local] → a 64×32 bilinear map → scores against
every item embedding. Cross-entropy, Adam 3e-3, batch 128, 8 epochs of 6000 training
sessions; per epoch a CSV with the train loss and the val Recall@20 / MRR@20 (1500 sessions).
Bug: to batch sessions of similar length the script sorts the training sessions and their
lengths by length, ``sess_tr, len_tr = sess_tr[order], len_tr[order]``, and leaves the
next-click targets ``next_tr`` in their old order: every training session is paired with
another session's next click. The model learns only the item popularity; val Recall@20
stays far below the control's."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ITEMS, N_CAT, MAXLEN = 300, 12, 12


def shop(g):
    cat = (torch.arange(1, N_ITEMS) % N_CAT)
    by_cat = [torch.nonzero(cat == c).flatten() + 1 for c in range(N_CAT)]
    succ = torch.zeros(N_ITEMS, 3, dtype=torch.long)
    for c in range(N_CAT):
        items = by_cat[c]
        for it in items:
            succ[it] = items[torch.randint(0, len(items), (3,), generator=g)]
    pop = torch.rand(N_ITEMS, generator=g) ** 3 + 0.05
    return cat, by_cat, succ, pop


def sessions(n, g, world):
    cat, by_cat, succ, pop = world
    seqs = torch.zeros(n, MAXLEN, dtype=torch.long)
    lengths = torch.randint(3, MAXLEN + 1, (n,), generator=g)
    nxt = torch.zeros(n, dtype=torch.long)
    starts = torch.multinomial(pop[1:], n, replacement=True, generator=g) + 1
    for i in range(n):
        it = int(starts[i])
        walk = [it]
        for _ in range(int(lengths[i])):
            r = float(torch.rand(1, generator=g))
            if r < 0.8:
                it = int(succ[it, int(torch.randint(0, 3, (1,), generator=g))])
            elif r < 0.95:
                items = by_cat[int(cat[it - 1])]
                it = int(items[int(torch.randint(0, len(items), (1,), generator=g))])
            else:
                it = int(torch.randint(1, N_ITEMS, (1,), generator=g))
            walk.append(it)
        seqs[i, :lengths[i]] = torch.tensor(walk[:-1])
        nxt[i] = walk[-1]
    return seqs, lengths, nxt


class NARM(nn.Module):
    def __init__(self, n_items=N_ITEMS, emb=32, hidden=48):
        super().__init__()
        self.emb = nn.Embedding(n_items, emb, padding_idx=0)
        self.drop = nn.Dropout(0.25)
        self.gru = nn.GRU(emb, hidden, batch_first=True)
        self.a1 = nn.Linear(hidden, hidden, bias=False)
        self.a2 = nn.Linear(hidden, hidden, bias=False)
        self.v = nn.Linear(hidden, 1, bias=False)
        self.b = nn.Linear(2 * hidden, emb, bias=False)

    def forward(self, seqs, lengths):
        x = self.drop(self.emb(seqs))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        out, h = self.gru(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=seqs.shape[1])
        c_global = h[-1]
        mask = (seqs > 0).unsqueeze(-1)
        e = self.v(torch.sigmoid(self.a1(c_global)[:, None] + self.a2(out)))
        alpha = e.masked_fill(~mask, 0.0)
        c_local = (alpha * out).sum(1)
        c = self.b(torch.cat([c_global, c_local], 1))
        return c @ self.emb.weight.t()


def build():
    torch.manual_seed(0)
    return NARM()


def evaluate(model, seqs, lengths, nxt):
    model.eval()
    with torch.no_grad():
        scores = model(seqs, lengths)
        scores[:, 0] = -1e9
        loss = F.cross_entropy(scores, nxt).item()
        rank = (scores > scores.gather(1, nxt[:, None])).sum(1) + 1
    hit = rank <= 20
    return loss, hit.float().mean().item(), (hit.float() / rank).mean().item()


def main():
    from _eightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    world = shop(g)
    sess_tr, len_tr, next_tr = sessions(6000, g, world)
    sess_va, len_va, next_va = sessions(1500, g, world)
    # sort by length so that the batches have similar lengths (less padding in the GRU)
    order = torch.argsort(len_tr, descending=True)
    sess_tr, len_tr = sess_tr[order], len_tr[order]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "narm_train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_recall@20", "val_mrr@20"])
        for epoch in range(8):
            model.train()
            tot, n = 0.0, 0
            chunks = list(torch.arange(len(sess_tr)).split(128))
            for k in torch.randperm(len(chunks), generator=g).tolist():
                idx = chunks[k]
                loss = F.cross_entropy(model(sess_tr[idx], len_tr[idx]), next_tr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                n += len(idx)
            vl, rec, mrr = evaluate(model, sess_va, len_va, next_va)
            w.writerow([epoch, round(tot / n, 4), round(vl, 4), round(rec, 4), round(mrr, 4)])
            print(epoch, tot / n, vl, rec, mrr)
    torch.save({"narm_weights": model.state_dict(), "adam": opt.state_dict(),
                "n_items": N_ITEMS, "epochs": 8}, out / "narm_epoch8.pth")
    finish(out, __file__, {"inputs": sess_va[:128], "lengths": len_va[:128],
                           "targets": next_va[:128]},
           causes=["labels_wrong"], checkpoint="narm_epoch8.pth", log="narm_train.csv",
           what="NARM session recommender whose training sessions were sorted by length "
                "without their next-click targets",
           complaint="Recall@20 on the validation sessions is stuck around a popularity "
                     "baseline even though the training loss goes down a bit every epoch. "
                     "The NARM paper gets way more than this on a much harder dataset.")


if __name__ == "__main__":
    main()
