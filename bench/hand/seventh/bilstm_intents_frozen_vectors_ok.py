"""Voice-assistant intents (6 intents: alarm, weather, music, timer, call, lights) from
utterances of 6-16 word ids, a bidirectional LSTM with max-pooling over time on top of
*frozen* pretrained word vectors (``nn.Embedding.from_pretrained(vectors, freeze=True)``, 50-d,
vectors shipped with the project: the words of one intent lie near each other), only the
LSTM and the head train (the optimizer gets ``filter(lambda p: p.requires_grad, ...)``).
Adam 2e-3, batch 32, 8 epochs, CSV log. Healthy: val accuracy 1.00 (freezing good vectors
is the intent, not a bug)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, DIM, MAXLEN, PAD = 400, 50, 16, 0


def pretrained_vectors():
    """The project's word vectors (here: synthetic, 10 keywords per intent near a direction)."""
    g = torch.Generator().manual_seed(123)
    vecs = torch.randn(VOCAB, DIM, generator=g) * 0.6
    topics = torch.randn(6, DIM, generator=g)
    for k in range(6):
        vecs[10 + 10 * k:20 + 10 * k] = topics[k] + 0.4 * torch.randn(10, DIM, generator=g)
    vecs[PAD] = 0
    return vecs


def utterances(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    lengths = torch.randint(6, MAXLEN + 1, (n,), generator=g)
    words = torch.randint(70, VOCAB, (n, MAXLEN), generator=g)
    for j in range(2):
        where = torch.randint(0, 6, (n,), generator=g) + 3 * j
        kw = 10 + 10 * y + torch.randint(0, 10, (n,), generator=g)
        use = torch.rand(n, generator=g) < (1.0 if j == 0 else 0.5)
        words[torch.arange(n)[use], where[use]] = kw[use]
    return words.masked_fill(torch.arange(MAXLEN)[None] >= lengths[:, None], PAD), y


class IntentBiLSTM(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(pretrained_vectors(), freeze=True,
                                                padding_idx=PAD)
        self.lstm = nn.LSTM(DIM, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, 6)

    def forward(self, words):
        h, _ = self.lstm(self.emb(words))
        h = h.masked_fill((words == PAD)[..., None], -1e4)
        return self.head(h.max(1).values)


def build():
    torch.manual_seed(0)
    return IntentBiLSTM()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = utterances(2000, g), utterances(400, g)
    model = build()
    opt = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=2e-3)
    rows = [["epoch", "train_loss", "train_acc", "val_loss", "val_acc"]]
    for epoch in range(8):
        model.train()
        perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            logits = model(x[idx])
            loss = F.cross_entropy(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == y[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            vo = model(vx)
        rows.append([epoch, tot / len(x), hit / len(x), F.cross_entropy(vo, vy).item(),
                     (vo.argmax(1) == vy).float().mean().item()])
        print([round(v, 4) for v in rows[-1]])
    with open(out / "intents_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "intents_bilstm.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="intents_bilstm.pt",
           log="intents_log.csv",
           what="BiLSTM on frozen pretrained word vectors, only LSTM + head train (healthy)")


if __name__ == "__main__":
    main()
