"""A text CNN (Kim 2014 style: embedding 48, Conv1d widths 3/4/5 with 32 filters each, max
over time, dropout 0.5, linear) for help-desk ticket priority (3 classes) from 40-token
tickets (vocabulary 300; the priority shows in a handful of urgency / routine words among
filler and is noisy); Adam 3e-3, batch 64, 6 epochs. The log also has ``live_acc``: 300 new
tickets from the live system, labelled by hand. Bug: the help-desk export writes the agent's
priority tag ("[P1]" / "[P2]" / "[P3]", token ids 1-3) as the first token of every ticket
text, and nobody stripped it, so train and validation (split from the same export) carry the
answer and new tickets do not: val accuracy 1.00 from epoch 1, val loss 0.0002 at the end,
live accuracy 0.35 -- the share of the most common class (tag stripped: val 0.84, live 0.85)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN = 300, 40
CUES = (range(10, 25), range(25, 40), range(40, 55))  # urgent / normal / routine words


def tickets(n, g, export=True):
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.randint(60, VOCAB, (n, LEN), generator=g)
    for i in range(n):
        for _ in range(3):
            c = int(y[i]) if torch.rand(1, generator=g) < 0.7 else int(torch.randint(0, 3, (1,),
                                                                                  generator=g))
            cue = CUES[c]
            pos = int(torch.randint(1, LEN, (1,), generator=g))
            x[i, pos] = int(torch.randint(cue.start, cue.stop, (1,), generator=g))
    if export:
        x[:, 0] = 1 + y  # the export's "[P1]"/"[P2]"/"[P3]" tag
    return x, y


class TextCNN(nn.Module):
    def __init__(self, emb=48, filters=32):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, emb, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(emb, filters, k) for k in (3, 4, 5)])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(3 * filters, 3)

    def forward(self, tokens):
        e = self.embedding(tokens).transpose(1, 2)
        h = torch.cat([F.relu(c(e)).max(2).values for c in self.convs], 1)
        return self.fc(self.dropout(h))


def build():
    torch.manual_seed(0)
    return TextCNN()


def main():
    from _tenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tickets(3000, g)  # BUG: the export's tag is left in the text
    vx, vy = x[2400:], y[2400:]
    x, y = x[:2400], y[:2400]
    lx, ly = tickets(300, g, export=False)  # new tickets: no tag yet
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    f = open(out / "metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "live_acc"])
    for epoch in range(6):
        model.train()
        tl, tc = 0.0, 0
        for idx in torch.randperm(len(x), generator=g).split(64):
            o = model(x[idx])
            loss = F.cross_entropy(o, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (o.argmax(1) == y[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            vo = model(vx)
            vl = F.cross_entropy(vo, vy).item()
            va = (vo.argmax(1) == vy).float().mean().item()
            la = (model(lx).argmax(1) == ly).float().mean().item()
        w.writerow([epoch, tl / len(x), tc / len(x), vl, va, la])
        print(epoch, round(tl / len(x), 4), round(tc / len(x), 3), round(vl, 4), round(va, 3),
              round(la, 3))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch, "vocab_size": VOCAB}, out / "textcnn_priority.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["task_trivial_or_leak"],
           checkpoint="textcnn_priority.pt", log="metrics.csv",
           what="text CNN, the export's priority tag left as the first token of every ticket",
           complaint="ticket priority CNN: validation accuracy is 1.00 from the second epoch on "
                     "(val loss 0.0002) but on 300 new hand-labelled tickets it gets only "
                     "0.35, for 3 priorities")


if __name__ == "__main__":
    main()
