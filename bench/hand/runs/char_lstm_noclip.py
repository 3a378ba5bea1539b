"""Char LSTM LM in the style of PyTorch's word_language_model example (SGD lr=20), but the
clip_grad_norm_ line was dropped when the loop was rewritten: gradients explode."""
import json

import torch
import torch.nn as nn

CORPUS = ("to be or not to be that is the question whether tis nobler in the mind "
          "to suffer the slings and arrows of outrageous fortune ") * 30
CHARS = sorted(set(CORPUS))
BPTT, BATCH = 48, 16


class LSTMLM(nn.Module):
    def __init__(self, ntoken, ninp=64, nhid=128, nlayers=2):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, batch_first=True)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, x):
        out, _ = self.rnn(self.encoder(x))
        return self.decoder(out).transpose(1, 2)  # (B, vocab, T) for cross_entropy


def build():
    torch.manual_seed(1)
    return LSTMLM(len(CHARS))


def get_batch(data, n):
    i = torch.randint(0, len(data) - BPTT - 1, (n,))
    x = torch.stack([data[j:j + BPTT] for j in i])
    y = torch.stack([data[j + 1:j + BPTT + 1] for j in i])
    return x, y


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(1)
    data = torch.tensor([CHARS.index(c) for c in CORPUS])
    train, val = data[:int(len(data) * 0.9)], data[int(len(data) * 0.9):]
    model = build()
    crit = nn.CrossEntropyLoss()
    lr = 20.0
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    f = open(out / "log.jsonl", "w")
    for it in range(150):
        model.train()
        x, y = get_batch(train, BATCH)
        model.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        # torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)   (lost in the rewrite)
        gn = sum(p.grad.norm() ** 2 for p in model.parameters()).sqrt().item()
        optimizer.step()
        rec = {"iter": it, "loss": loss.item(), "lr": lr, "grad_norm": gn}
        if it % 15 == 14:
            model.eval()
            with torch.no_grad():
                vx, vy = get_batch(val, 64)
                rec["val_loss"] = crit(model(vx), vy).item()
        f.write(json.dumps(rec) + "\n")
    f.close()
    print("last loss", loss.item())
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "iter": 150},
               out / "checkpoint.pt")
    finish(out, __file__, get_batch(val, 32), causes=["exploding_gradients", "lr_too_high"],
           what="LSTM LM, SGD lr=20 without the example's gradient clipping",
           complaint="the loss shoots up from 3 to about 80 in a few steps and never comes back",
           checkpoint="checkpoint.pt", log="log.jsonl")


if __name__ == "__main__":
    main()
