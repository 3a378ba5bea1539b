"""GloVe-style word vectors on a synthetic co-occurrence matrix: 240 words in 12 topics of 20;
counts X_ij are Poisson with a rate that is high within a topic, low across topics and scaled
by Zipf-like word frequencies, so log X carries topic structure plus Poisson noise. Two
embedding tables (dimension 24) and two bias tables, the weighted least-squares loss of the
paper, f(X) = min(1, (X / 50) ** 0.75), Adagrad 0.05 as in the paper, batch 512 cells,
25 epochs over the 90 % of the non-zero cells used for training; 10 % of the non-zero cells
are held out. The log is CSV per epoch (weighted loss on train and held-out cells, the
nearest-neighbour topic purity of w + w~). Healthy: held-out loss levels above the train loss
(Poisson noise in the counts is not learnable), purity 1.0."""
import csv

import torch
import torch.nn as nn

WORDS, TOPICS, DIM, XMAX = 240, 12, 24, 50.0


def cooccurrence(g):
    topic = torch.arange(WORDS) % TOPICS
    freq = 1.0 / (1 + torch.arange(WORDS).float()[torch.randperm(WORDS, generator=g)] / 40)
    rate = torch.where(topic[:, None] == topic[None], 30.0, 0.6) * freq[:, None] * freq[None]
    x = torch.poisson(rate * 8, generator=g)
    x = torch.triu(x, 1)
    return x + x.T, topic


class GloVe(nn.Module):
    def __init__(self):
        super().__init__()
        self.w, self.c = nn.Embedding(WORDS, DIM), nn.Embedding(WORDS, DIM)
        self.bw, self.bc = nn.Embedding(WORDS, 1), nn.Embedding(WORDS, 1)
        for e in (self.w, self.c):
            nn.init.uniform_(e.weight, -0.5 / DIM, 0.5 / DIM)
        nn.init.zeros_(self.bw.weight)
        nn.init.zeros_(self.bc.weight)

    def forward(self, pairs):
        i, j = pairs[:, 0], pairs[:, 1]
        return (self.w(i) * self.c(j)).sum(1) + self.bw(i).squeeze(1) + self.bc(j).squeeze(1)


def wls(model, pairs, counts):
    weight = (counts / XMAX).pow(0.75).clamp(max=1.0)
    return (weight * (model(pairs) - counts.log()) ** 2).mean()


def purity(model, topic):
    v = nn.functional.normalize(model.w.weight + model.c.weight, dim=1)
    sim = v @ v.T - 2 * torch.eye(WORDS)
    return (topic[sim.argmax(1)] == topic).float().mean().item()


def build():
    torch.manual_seed(0)
    return GloVe()


def main():
    from _fiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, topic = cooccurrence(g)
    pairs = torch.nonzero(x)
    counts = x[pairs[:, 0], pairs[:, 1]]
    order = torch.randperm(len(pairs), generator=g)
    cut = int(0.9 * len(pairs))
    tp, tc = pairs[order[:cut]], counts[order[:cut]]
    vp, vc = pairs[order[cut:]], counts[order[cut:]]
    print("cells", len(tp), len(vp))
    model = build()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    with open(out / "glove_log.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["epoch", "wls_train", "wls_heldout", "nn_topic_purity"])
        for epoch in range(25):
            total, n = 0.0, 0
            for idx in torch.randperm(len(tp), generator=g).split(512):
                loss = wls(model, tp[idx], tc[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total, n = total + loss.item() * len(idx), n + len(idx)
            with torch.no_grad():
                vl = wls(model, vp, vc).item()
                pur = purity(model, topic)
            log.writerow([epoch, round(total / n, 5), round(vl, 5), round(pur, 4)])
            print(epoch, round(total / n, 4), round(vl, 4), round(pur, 3))
    torch.save({"embeddings": model.state_dict(), "adagrad_state": opt.state_dict(),
                "epochs_done": 25}, out / "glove_vectors.pt")
    finish(out, __file__, (vp[:512], vc[:512].log()), causes=[],
           checkpoint="glove_vectors.pt", log="glove_log.csv",
           what="GloVe weighted least squares, Adagrad 0.05, synthetic topic co-occurrences "
                "(healthy)")


if __name__ == "__main__":
    main()
