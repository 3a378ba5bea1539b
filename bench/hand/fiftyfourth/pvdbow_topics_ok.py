"""doc2vec PV-DBOW (Le & Mikolov 2014): each document's vector is trained to predict the words
sampled from that document against negative words drawn from the unigram distribution to the
power 0.75 (negative sampling, 5 negatives per positive). Synthetic corpus: 400 documents of
80 tokens over a 300-word vocabulary, each document a mixture of 1–2 of 10 topics (topic words
70 %, Zipf-distributed background words 30 %). Document vectors 400 × 32 and output word
vectors 300 × 32 (``nn.Embedding``, output vectors zero-initialised as word2vec does); SGD on
the loss summed over the batch (word2vec's per-pair step), lr 0.025 decaying linearly to 1e-4,
batch 512 (doc, word) pairs, 12 epochs; 15 % of each document's tokens are held out. CSV log per
epoch: ``ns_loss`` (train), ``heldout_ns_loss`` (the held-out pairs with fixed negatives),
``knn_topic_acc`` (5-nearest-neighbour leave-one-out accuracy of the documents' main topic
under cosine similarity) and ``lr``.
Healthy: the first epoch barely moves (4.156 vs 6·ln 2 = 4.159: the zero output vectors and
tiny document vectors need a few hundred steps to break symmetry, as in word2vec), then the
training loss falls to 1.87 with the held-out loss at 1.92 just above it, both levelling as the
lr runs out; the topic kNN accuracy climbs 0.10 → 0.99."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

DOCS, VOCAB, TOPICS, LEN, DIM, NEG = 400, 300, 10, 80, 32, 5


def corpus(g):
    topic_words = torch.randperm(VOCAB, generator=g)[:TOPICS * 20].view(TOPICS, 20)
    zipf = 1.0 / torch.arange(1, VOCAB + 1).float()
    main = torch.randint(0, TOPICS, (DOCS,), generator=g)
    second = torch.where(torch.rand(DOCS, generator=g) < 0.4,
                         torch.randint(0, TOPICS, (DOCS,), generator=g), main)
    tokens = torch.empty(DOCS, LEN, dtype=torch.long)
    for d in range(DOCS):
        topic = torch.where(torch.rand(LEN, generator=g) < 0.7, main[d], second[d])
        topical = topic_words[topic, torch.randint(0, 20, (LEN,), generator=g)]
        background = torch.multinomial(zipf, LEN, replacement=True, generator=g)
        tokens[d] = torch.where(torch.rand(LEN, generator=g) < 0.7, topical, background)
    return tokens, main


class PVDBOW(nn.Module):
    def __init__(self):
        super().__init__()
        self.doc = nn.Embedding(DOCS, DIM)
        self.word_out = nn.Embedding(VOCAB, DIM)
        nn.init.uniform_(self.doc.weight, -0.5 / DIM, 0.5 / DIM)
        nn.init.zeros_(self.word_out.weight)             # as word2vec/gensim initialise syn1neg

    def forward(self, pairs):                            # (N, 2) (doc, word) → logit
        return (self.doc(pairs[:, 0]) * self.word_out(pairs[:, 1])).sum(-1)


def build():
    torch.manual_seed(0)
    return PVDBOW()


def with_negatives(pos, noise, g):
    n = len(pos)
    neg_words = torch.multinomial(noise, n * NEG, replacement=True, generator=g)
    neg = torch.stack([pos[:, 0].repeat_interleave(NEG), neg_words], 1)
    pairs = torch.cat([pos, neg])
    return pairs, torch.cat([torch.ones(n), torch.zeros(n * NEG)])


def ns_loss(model, pairs, labels, n_pos):
    # summed over a positive and its negatives, averaged over positives
    return F.binary_cross_entropy_with_logits(model(pairs), labels, reduction="sum") / n_pos


def knn_acc(vecs, topic):
    v = F.normalize(vecs, dim=1)
    sim = v @ v.t() - 2 * torch.eye(len(v))
    nn_topics = topic[sim.topk(5, dim=1).indices]
    return (torch.mode(nn_topics, 1).values == topic).float().mean().item()


def main():
    from _fiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tokens, topic = corpus(g)
    counts = torch.bincount(tokens.flatten(), minlength=VOCAB).float()
    noise = counts.pow(0.75)
    held = torch.rand(DOCS, LEN, generator=g) < 0.15
    doc_ids = torch.arange(DOCS)[:, None].expand(DOCS, LEN)
    train = torch.stack([doc_ids[~held], tokens[~held]], 1)
    heldout, held_y = with_negatives(torch.stack([doc_ids[held], tokens[held]], 1), noise, g)
    n_held = int(held.sum())
    model = build()
    epochs, batch = 12, 512
    steps = epochs * ((len(train) + batch - 1) // batch)
    opt = torch.optim.SGD(model.parameters(), lr=0.025)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(1 - s / steps, 0.004))
    with open(out / "pvdbow.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["epoch", "ns_loss", "heldout_ns_loss", "knn_topic_acc", "lr"])
        for epoch in range(epochs):
            total, n = 0.0, 0
            for idx in torch.randperm(len(train), generator=g).split(batch):
                pairs, labels = with_negatives(train[idx], noise, g)
                loss = ns_loss(model, pairs, labels, len(idx))
                opt.zero_grad()
                (loss * len(idx)).backward()             # summed: word2vec's per-pair step
                opt.step()
                sched.step()
                total, n = total + loss.item() * len(idx), n + len(idx)
            with torch.no_grad():
                hl = ns_loss(model, heldout, held_y, n_held).item()
                acc = knn_acc(model.doc.weight, topic)
            row = [epoch, round(total / n, 5), round(hl, 5), round(acc, 4),
                   round(sched.get_last_lr()[0], 6)]
            log.writerow(row)
            print(row)
    torch.save({"doc_vectors": model.doc.weight.detach().clone(),
                "state_dict": model.state_dict(), "sgd_state": opt.state_dict(),
                "epochs_trained": epochs, "vocab_size": VOCAB, "negative": NEG},
               out / "pvdbow_model.pt")
    pos = torch.stack([doc_ids[held], tokens[held]], 1)[:64]
    pairs, labels = with_negatives(pos, noise, g)
    finish(out, __file__, (pairs, labels), causes=[],
           checkpoint="pvdbow_model.pt", log="pvdbow.csv",
           what="doc2vec PV-DBOW with negative sampling on a synthetic topic corpus (healthy)")


if __name__ == "__main__":
    main()
