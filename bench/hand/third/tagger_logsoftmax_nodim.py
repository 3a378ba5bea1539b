"""Chunk tagger: a BiGRU tags every token of 20-token "sentences" with one of 5 tags (a token's
tag depends on its word class and on the previous word). The head ends in ``nn.LogSoftmax()``
with no ``dim``, fed to NLLLoss; for the (batch, time, tags) output PyTorch's implicit dim is 0,
so the log-softmax normalises over the batch, not over the tags (the UserWarning was ignored).
Validation tags one sentence at a time, as the service will. Adam 2e-3, CSV per epoch."""
import csv
import warnings

import torch
import torch.nn as nn

warnings.filterwarnings("ignore", message="Implicit dimension choice")
VOCAB, TAGS, LEN = 60, 5, 20


def sentences(n, g):
    words = torch.randint(0, VOCAB, (n, LEN), generator=g)
    cls = words % 4
    prev = torch.cat([torch.full((n, 1), 0), cls[:, :-1]], 1)
    tags = torch.where((cls == 0) & (prev == 1), torch.tensor(4), cls)
    return words, tags


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.gru = nn.GRU(32, 32, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.Linear(64, TAGS), nn.LogSoftmax())

    def forward(self, words):
        h, _ = self.gru(self.emb(words))
        return self.head(h)


def build():
    torch.manual_seed(0)
    return Tagger()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = sentences(2000, g), sentences(400, g)
    model = build()
    criterion = nn.NLLLoss()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "tagger_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_token_acc"])
    for epoch in range(8):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            logp = model(x[idx])
            loss = criterion(logp.reshape(-1, TAGS), y[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():  # one sentence at a time, as in production
            vlogp = torch.cat([model(s[None]) for s in vx])
            vloss = criterion(vlogp.reshape(-1, TAGS), vy.reshape(-1)).item()
            acc = (vlogp.argmax(-1) == vy).float().mean().item()
        w.writerow([epoch, loss.item(), vloss, acc])
    f.close()
    print("val token acc", acc)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict()},
               out / "tagger.pt")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["softmax_wrong_dim"],
           checkpoint="tagger.pt", log="tagger_log.csv",
           what="nn.LogSoftmax() without dim on a 3-D output: normalised over the batch",
           complaint="training loss goes down but validation token accuracy is only 19% and "
                     "val loss is exactly 0")


if __name__ == "__main__":
    main()
