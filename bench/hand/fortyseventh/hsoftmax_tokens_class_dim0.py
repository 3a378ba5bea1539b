"""Two-level hierarchical-softmax next-token model on synthetic token streams: 200 words in 10
classes of 20, word id = class * 20 + position. The stream is a noisy chain: the next class is
(3 * class[t-1] + 1) mod 10 with probability 0.8 (else any class), the position within the
class is (7 * pos[t-1] + 3) mod 20 with probability 0.7 (else any); best top-1 about 0.58.
The model embeds the last 2 tokens (dimension 32 each), an MLP 128→128 with ReLU, then a class
head (10) and one word head per class (10 × 20); ``forward`` returns the log-probability of
every word, log p(class) + log p(word | class), and the loss is ``nll_loss`` on it. Adam 2e-3,
batch 128, 6 epochs; CSV log per epoch (``train_nll``, ``val_nll``, ``val_top1``).
Bug: the class distribution is ``log_softmax(self.cls(h), dim=0)``: normalised over the batch
instead of over the 10 classes, so p(class) is not a distribution per context: each context's
class probability is only ranked against the other contexts in the batch (top-1 survives,
the likelihood does not; the val NLL ends above log 200 = 5.30, worse than a uniform guess)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES, PER, CTX = 10, 20, 2
VOCAB = CLASSES * PER
CLASS_DIM = 0


def stream(n, g):
    c, p = [0], [0]
    for _ in range(n):
        nc = (3 * c[-1] + 1) % CLASSES if torch.rand(1, generator=g) < 0.8 else \
            int(torch.randint(0, CLASSES, (1,), generator=g))
        np_ = (7 * p[-1] + 3) % PER if torch.rand(1, generator=g) < 0.7 else \
            int(torch.randint(0, PER, (1,), generator=g))
        c.append(nc)
        p.append(np_)
    return torch.tensor(c) * PER + torch.tensor(p)


def contexts(tokens):
    idx = torch.arange(len(tokens) - CTX)
    return tokens[idx[:, None] + torch.arange(CTX)[None]], tokens[idx + CTX]


class HSoftmaxLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.mlp = nn.Sequential(nn.Linear(CTX * 32, 128), nn.ReLU(), nn.Linear(128, 128),
                                 nn.ReLU())
        self.cls = nn.Linear(128, CLASSES)
        self.word = nn.Linear(128, CLASSES * PER)

    def forward(self, ctx):
        h = self.mlp(self.emb(ctx).flatten(1))
        class_logp = torch.log_softmax(self.cls(h), dim=CLASS_DIM)
        word_logp = torch.log_softmax(self.word(h).view(-1, CLASSES, PER), dim=-1)
        return (class_logp[:, :, None] + word_logp).flatten(1)


def build():
    torch.manual_seed(0)
    return HSoftmaxLM()


def main():
    from _fortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx, ty = contexts(stream(12000, g))
    vx, vy = contexts(stream(1500, g))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "lm_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_nll", "val_nll", "val_top1"])
    for epoch in range(6):
        model.train()
        total, count = 0.0, 0
        for idx in torch.randperm(len(tx), generator=g).split(128):
            loss = F.nll_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, count = total + loss.item() * len(idx), count + len(idx)
        model.eval()
        with torch.no_grad():
            logp = torch.cat([model(vx[i:i + 128]) for i in range(0, len(vx), 128)])
            vl = F.nll_loss(logp, vy).item()
            top1 = (logp.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, round(total / count, 4), round(vl, 4), round(top1, 4)])
        print(epoch, round(total / count, 4), round(vl, 4), round(top1, 4))
    f.close()
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch},
               out / "hsoftmax_lm.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["softmax_wrong_dim"],
           checkpoint="hsoftmax_lm.pt", log="lm_history.csv",
           what="two-level hierarchical softmax LM, class log_softmax over dim=0 (the batch)",
           complaint="my hierarchical softmax LM gets a decent next-word top-1 but its val NLL "
                     "is 5.4, worse than guessing uniformly over the 200 words, and the "
                     "train NLL starts around 6.8; the perplexity makes no sense")


if __name__ == "__main__":
    main()
