"""Skip-gram word2vec with negative sampling on a synthetic corpus from a topic model. 8
topics, each with 20 concepts; a sentence (18 tokens) picks one topic and walks that topic's
concept chain (each concept has 3 likely successors, 25 % of the steps jump to any concept
of the topic); every concept is written as one of its 2 synonyms at random, and 15 % of the
tokens are one of 40 function words. Vocabulary 360. Window ±2, 5 negatives from the
unigram^0.75 table, 48-dim input and output tables, Adam 8e-3 with the learning rate decayed
linearly to a floor of 10 % (word2vec-style), batch 1 024 pairs, 4 epochs over 4 000
sentences. The CSV log has the batch loss and lr every 25 steps and, per epoch, the
held-out SGNS loss on 400 other sentences and the synonym nearest-neighbour accuracy (the
fraction of the 320 topical words whose nearest neighbour by cosine is its synonym).
Healthy: the neighbour accuracy goes 0.78 → 0.95 → 0.98 → 0.98; the SGNS loss levels near
1.5 after the first 200 steps (random negatives from a small vocabulary often land in the
same topic, so the loss has a high floor) and then moves little, the batch loss is noisy
(1.44–1.52 in the last epoch) and the held-out loss sits in the same band."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

TOPICS, CONCEPTS, SYN, FUNC = 8, 20, 2, 40
VOCAB = TOPICS * CONCEPTS * SYN + FUNC
LEN, WINDOW, NEG, DIM = 18, 2, 5, 48


def corpus(n, g, gw):
    succ = torch.randint(0, CONCEPTS, (TOPICS, CONCEPTS, 3), generator=gw)
    topic = torch.randint(0, TOPICS, (n,), generator=g)
    c = torch.randint(0, CONCEPTS, (n,), generator=g)
    rows = []
    for _ in range(LEN):
        word = FUNC + (topic * CONCEPTS + c) * SYN + torch.randint(0, SYN, (n,), generator=g)
        func = torch.rand(n, generator=g) < 0.15
        rows.append(torch.where(func, torch.randint(0, FUNC, (n,), generator=g), word))
        nxt = succ[topic, c, torch.randint(0, 3, (n,), generator=g)]
        jump = torch.rand(n, generator=g) < 0.25
        c = torch.where(jump, torch.randint(0, CONCEPTS, (n,), generator=g), nxt)
    return torch.stack(rows, 1)


def pairs(sents):
    centre, ctx = [], []
    for off in range(-WINDOW, WINDOW + 1):
        if off == 0:
            continue
        a = sents[:, max(0, -off):LEN - max(0, off)]
        b = sents[:, max(0, off):LEN - max(0, -off)]
        centre.append(a.reshape(-1))
        ctx.append(b.reshape(-1))
    return torch.cat(centre), torch.cat(ctx)


class SkipGram(nn.Module):
    def __init__(self):
        super().__init__()
        self.in_embed = nn.Embedding(VOCAB, DIM)
        self.out_embed = nn.Embedding(VOCAB, DIM)
        nn.init.uniform_(self.in_embed.weight, -0.5 / DIM, 0.5 / DIM)
        nn.init.zeros_(self.out_embed.weight)

    def forward(self, centre, candidates):  # (B,), (B, 1 + NEG): true context first
        return torch.einsum("bd,bkd->bk", self.in_embed(centre), self.out_embed(candidates))


def sgns_loss(logits):
    target = torch.zeros_like(logits)
    target[:, 0] = 1
    return F.binary_cross_entropy_with_logits(logits, target, reduction="sum") / len(logits)


def synonym_nn_accuracy(model):
    e = F.normalize(model.in_embed.weight[FUNC:], dim=1)
    sim = e @ e.T
    sim.fill_diagonal_(-2)
    twin = torch.arange(len(e)) ^ 1
    return (sim.argmax(1) == twin).float().mean().item()


def build():
    torch.manual_seed(0)
    return SkipGram()


def main():
    from _thirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g, gw = torch.Generator().manual_seed(0), torch.Generator().manual_seed(1)
    sents = corpus(4400, g, gw)
    tr_c, tr_x = pairs(sents[:4000])
    va_c, va_x = pairs(sents[4000:])
    counts = torch.bincount(sents[:4000].reshape(-1), minlength=VOCAB).float()
    noise = counts ** 0.75 / (counts ** 0.75).sum()
    va_neg = torch.multinomial(noise, len(va_c) * NEG, True, generator=g).view(-1, NEG)
    va_cand = torch.cat([va_x[:, None], va_neg], 1)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=8e-3)
    epochs, per_epoch = 4, (len(tr_c) + 1023) // 1024
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: max(0.1, 1 - s / (epochs * per_epoch)))
    log = open(out / "w2v_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "step", "loss", "lr", "heldout_loss", "syn_nn_acc"])
    step = 0
    for epoch in range(epochs):
        for idx in torch.randperm(len(tr_c), generator=g).split(1024):
            neg = torch.multinomial(noise, len(idx) * NEG, True, generator=g).view(-1, NEG)
            cand = torch.cat([tr_x[idx, None], neg], 1)
            loss = sgns_loss(model(tr_c[idx], cand))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 25 == 0:
                w.writerow([epoch, step, round(loss.item(), 4),
                            f"{sched.get_last_lr()[0]:.6f}", "", ""])
        with torch.no_grad():
            vl = sgns_loss(model(va_c, va_cand)).item()
            acc = synonym_nn_accuracy(model)
        w.writerow([epoch, step, "", "", round(vl, 4), round(acc, 4)])
        print(epoch, step, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    log.close()
    torch.save({"embeddings": model.state_dict(), "optim": opt.state_dict(),
                "lr_schedule": sched.state_dict(), "tokens_seen": step * 1024,
                "window": WINDOW, "negatives": NEG}, out / "sgns.pt")
    finish(out, __file__, {"inputs": va_c[:1024], "candidates": va_cand[:1024],
                           "targets": torch.eye(1 + NEG)[torch.zeros(1024, dtype=torch.long)]},
           causes=[], checkpoint="sgns.pt", log="w2v_log.csv",
           what="skip-gram word2vec with negative sampling on a topic-model corpus (healthy)")


if __name__ == "__main__":
    main()
