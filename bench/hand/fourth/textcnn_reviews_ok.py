"""Kim-style text CNN on short product reviews (a 300-word vocabulary, reviews padded to 48
tokens with id 0). Embedding -> Conv1d over time (the embedding is transposed to channels)
-> max over time -> linear. Adam 1e-3, batch 32, JSON-lines log per epoch (healthy)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, MAXLEN, PAD = 300, 48, 0
POS, NEG = range(1, 21), range(21, 41)  # sentiment words; 41.. are neutral


def reviews(n, g):
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.full((n, MAXLEN), PAD)
    for i in range(n):
        length = int(torch.randint(10, MAXLEN, (1,), generator=g))
        words = torch.randint(41, VOCAB, (length,), generator=g)
        k = int(torch.randint(1, 4, (1,), generator=g))
        cue = POS if y[i] == 1 else NEG
        spots = torch.randperm(length, generator=g)[:k]
        words[spots] = torch.randint(cue.start, cue.stop, (k,), generator=g)
        noise = torch.randperm(length, generator=g)[:1]  # one word of the other side
        other = NEG if y[i] == 1 else POS
        if float(torch.rand(1, generator=g)) < 0.3:
            words[noise] = torch.randint(other.start, other.stop, (1,), generator=g)
        x[i, :length] = words
    return x, y


class TextCNN(nn.Module):
    def __init__(self, emb=32, filters=32):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, emb, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(emb, filters, k) for k in (3, 4, 5))
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(3 * filters, 2)

    def forward(self, tokens):
        e = self.embedding(tokens)  # (B, L, E)
        e = e.transpose(1, 2)  # (B, E, L) for Conv1d
        pooled = [F.relu(conv(e)).max(dim=2).values for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, 1)))


def build():
    torch.manual_seed(0)
    return TextCNN()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = reviews(3000, g), reviews(600, g)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "history.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            total = 0.0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                loss = F.cross_entropy(model(x[idx]), y[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logits = model(vx)
            rec = {"epoch": epoch + 1, "loss": total / len(x),
                   "val_loss": F.cross_entropy(logits, vy).item(),
                   "val_accuracy": (logits.argmax(1) == vy).float().mean().item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch + 1}, out / "textcnn.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="textcnn.pt",
           log="history.jsonl", what="text CNN on padded reviews: healthy")


if __name__ == "__main__":
    main()
