"""Skip-gram with negative sampling (word2vec) on a synthetic corpus: 600 word types in 12
topics (50 each) plus 40 function words; each sentence of 12 tokens is drawn from one topic
with a third of its tokens function words. Window 2, 5 negatives per pair drawn from the
unigram^0.75 distribution, embeddings of 48 (input and output tables), Adam 5e-3, batch 256
pairs, 3 passes over ~43 k pairs, CSV log every 50 steps with the loss, the mean positive
and negative scores and the nearest-neighbour check the author uses: for each topic word,
the fraction of its 5 nearest words (cosine, input table) from the same topic (chance 0.08).
Bug: the minus sign of the SGNS objective was dropped, ``loss = (F.logsigmoid(pos) +
F.logsigmoid(-neg).sum(1)).mean()``: minimising it pushes true pairs apart and negatives
together (with 5 negatives
per pair the negative term wins: every score grows). The loss goes -7 (step 50) -> -627
(step 300) -> -1447 (step 450), unbounded; the positive and negative scores both climb to
~290; the neighbour check stays at 0.09-0.10. Control with ``loss = -(...)``: loss 3.09 ->
1.88, positive score -0.58 against negative -2.36, neighbour check 0.08 -> 1.0."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

TOPICS, PER_TOPIC, FUNCTION = 12, 50, 40
VOCAB = TOPICS * PER_TOPIC + FUNCTION
DIM, WINDOW, NEG = 48, 2, 5


def corpus(n_sent, g):
    topic = torch.randint(0, TOPICS, (n_sent,), generator=g)
    words = topic[:, None] * PER_TOPIC + torch.randint(0, PER_TOPIC, (n_sent, 12), generator=g)
    func = TOPICS * PER_TOPIC + torch.randint(0, FUNCTION, (n_sent, 12), generator=g)
    return torch.where(torch.rand(n_sent, 12, generator=g) < 1 / 3, func, words)


def pairs(sents):
    centre, context = [], []
    for off in range(-WINDOW, WINDOW + 1):
        if off == 0:
            continue
        lo, hi = max(0, -off), 12 - max(0, off)
        centre.append(sents[:, lo:hi].reshape(-1))
        context.append(sents[:, lo + off:hi + off].reshape(-1))
    return torch.cat(centre), torch.cat(context)


class SkipGram(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Embedding(VOCAB, DIM)
        self.out = nn.Embedding(VOCAB, DIM)
        nn.init.uniform_(self.inp.weight, -0.5 / DIM, 0.5 / DIM)
        nn.init.zeros_(self.out.weight)

    def forward(self, centre, words):
        # scores of the centre word against [context, negatives...]: (batch, 1 + NEG)
        return (self.inp(centre)[:, None] * self.out(words)).sum(-1)


def build():
    torch.manual_seed(0)
    return SkipGram()


def neighbour_check(model):
    e = F.normalize(model.inp.weight[:TOPICS * PER_TOPIC].detach(), dim=1)
    sim = e @ e.T
    sim.fill_diagonal_(-2)
    nn_idx = sim.topk(5, dim=1).indices
    topic = torch.arange(TOPICS * PER_TOPIC) // PER_TOPIC
    return (topic[nn_idx] == topic[:, None]).float().mean().item()


def main():
    from _fifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    sents = corpus(1000, g)
    centre, context = pairs(sents)
    counts = torch.bincount(sents.reshape(-1), minlength=VOCAB).float()
    noise = counts ** 0.75 / (counts ** 0.75).sum()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    f = open(out / "sgns_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss", "pos_score", "neg_score", "nn_same_topic"])
    w.writerow([0, 0, "", "", "", round(neighbour_check(model), 4)])
    step = 0
    for epoch in range(3):
        for idx in torch.randperm(len(centre), generator=g).split(256):
            neg = torch.multinomial(noise, len(idx) * NEG, replacement=True,
                                    generator=g).view(-1, NEG)
            scores = model(centre[idx], torch.cat([context[idx, None], neg], 1))
            pos, negs = scores[:, 0], scores[:, 1:]
            loss = (F.logsigmoid(pos) + F.logsigmoid(-negs).sum(1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 50 == 0:
                row = [step, epoch, round(loss.item(), 4), round(pos.mean().item(), 3),
                       round(negs.mean().item(), 3), round(neighbour_check(model), 4)]
                w.writerow(row)
                print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "vocab_size": VOCAB, "step": step}, out / "sgns.pt")
    neg = torch.multinomial(noise, 128 * NEG, replacement=True, generator=g).view(-1, NEG)
    words = torch.cat([context[:128, None], neg], 1)
    targets = torch.cat([torch.ones(128, 1), torch.zeros(128, NEG)], 1)
    finish(out, __file__, {"inputs": centre[:128], "words": words, "targets": targets},
           causes=["loss_sign_error"], checkpoint="sgns.pt", log="sgns_log.csv",
           what="word2vec skip-gram with negative sampling, minus sign of the objective dropped",
           complaint="word2vec (skip-gram, negative sampling) on my corpus: the loss goes "
                     "more and more negative without stopping and the nearest neighbours of "
                     "a word are random words")


if __name__ == "__main__":
    main()
