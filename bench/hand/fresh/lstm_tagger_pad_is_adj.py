"""BiLSTM part-of-speech style tagger on padded sentences (lengths 4-30, padded to 30). The
tag vocabulary was built as sorted(set(tags)) with no "<pad>" entry, so the padding label 0
is also the real tag "ADJ": ignore_index=0 drops every ADJ token from the loss (and from the
accuracy), and the tagger never learns to predict ADJ."""
import json

import torch
import torch.nn as nn

TAGS = sorted({"NOUN", "VERB", "ADJ", "DET", "ADP"})  # ADJ ADP DET NOUN VERB
PAD, N_WORDS, N_TAGS, MAXLEN = 0, 60, len(TAGS), 30


def sentences(n, seed):
    """Words 1..59; a word's tag is its group, except 'ambiguous' words (50..59) whose tag
    follows from the previous word's tag. Tag ids index TAGS; padding gets PAD."""
    g = torch.Generator().manual_seed(seed)
    x = torch.full((n, MAXLEN), PAD)
    y = torch.full((n, MAXLEN), PAD)
    lengths = torch.randint(4, MAXLEN + 1, (n,), generator=g)
    for i in range(n):
        w = torch.randint(1, N_WORDS, (lengths[i],), generator=g)
        t = w % 5
        for j in range(1, len(w)):
            if w[j] >= 50:
                t[j] = (t[j - 1] + 1) % 5
        x[i, :len(w)], y[i, :len(w)] = w, t
    return x, y


class Tagger(nn.Module):
    def __init__(self, emb=32, hidden=48):
        super().__init__()
        self.emb = nn.Embedding(N_WORDS, emb, padding_idx=PAD)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, N_TAGS)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Tagger()


def token_accuracy(logits, y):
    real = y != PAD
    return ((logits.argmax(-1) == y) & real).sum().item() / real.sum().item()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr = sentences(1500, 0)
    xva, yva = sentences(300, 1)
    model = build()
    criterion = nn.CrossEntropyLoss(ignore_index=PAD)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    logf = open(out / "train.jsonl", "w")
    for epoch in range(8):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 50):
            b = perm[i:i + 50]
            logits = model(xtr[b])
            loss = criterion(logits.reshape(-1, N_TAGS), ytr[b].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            vlogits = model(xva)
            vloss = criterion(vlogits.reshape(-1, N_TAGS), yva.reshape(-1)).item()
        rec = {"epoch": epoch, "loss": loss.item(), "val_loss": vloss,
               "val_token_acc": token_accuracy(vlogits, yva)}
        logf.write(json.dumps(rec) + "\n")
        print(rec)
    logf.close()
    torch.save({"model": model.state_dict(), "optim": optimizer.state_dict(), "epoch": 8},
               out / "tagger.pt")
    finish(out, __file__, (xva[:32], yva[:32]), causes=[], healthy=False,
           checkpoint="tagger.pt", log="train.jsonl",
           what="pad label 0 is also the real tag ADJ: ignore_index=0 drops ADJ from the loss "
                "and the accuracy (no cause id for this: closest are labels_wrong / "
                "loss_ignores_padding, neither fits)",
           complaint="val token accuracy is 99 % but the tagger never outputs ADJ")


if __name__ == "__main__":
    main()
