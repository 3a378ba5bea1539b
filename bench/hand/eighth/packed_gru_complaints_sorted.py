"""Customer complaints routed to 4 departments (billing, delivery, product, staff) by a GRU
over word ids with ``pack_padded_sequence`` -- ``forward(tokens, lengths)`` -- trained with a
plain loop over a ``DataLoader``. Complaints of 8-36 words, a few department keywords each.
Bug: the CRM export is sorted by department and the loader is built with ``shuffle=False``
(the author wanted reproducible epochs), so every batch holds one department and each epoch
ends on "staff": train accuracy 0.14-0.40 for six epochs (the model predicts the department
it has just seen), val accuracy 0.32 -> 0.67 after 8 epochs (shuffled: 0.98 by epoch 6)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, TensorDataset

VOCAB, MAXLEN, PAD, DEPTS = 250, 36, 0, 4


def complaints(n, g):
    lengths = torch.randint(8, MAXLEN + 1, (n,), generator=g)
    tokens = torch.randint(50, VOCAB, (n, MAXLEN), generator=g)
    dept = torch.randint(0, DEPTS, (n,), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        where = torch.randperm(int(lengths[i]), generator=g)[:k]
        tokens[i, where] = 1 + 10 * dept[i] + torch.randint(0, 10, (k,), generator=g)
    tokens = tokens.masked_fill(torch.arange(MAXLEN)[None] >= lengths[:, None], PAD)
    return tokens, lengths, dept


class ComplaintGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 32, padding_idx=PAD)
        self.rnn = nn.GRU(32, 48, batch_first=True)
        self.fc = nn.Linear(48, DEPTS)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embedding(tokens), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, hidden = self.rnn(packed)
        return self.fc(hidden[-1])


def build():
    torch.manual_seed(0)
    return ComplaintGRU()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tokens, lengths, dept = complaints(2400, g)
    order = torch.argsort(dept, stable=True)  # the CRM export comes sorted by department
    train = TensorDataset(tokens[order], lengths[order], dept[order])
    vt, vl, vy = complaints(400, g)
    loader = DataLoader(train, batch_size=32, shuffle=False)  # BUG: sorted data, no shuffle
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "complaints_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy"])
        for epoch in range(1, 9):
            model.train()
            tot = hit = 0
            for t, ln, y in loader:
                logits = model(t, ln)
                loss = F.cross_entropy(logits, y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(y)
                hit += (logits.argmax(1) == y).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vt, vl)
            row = [epoch, tot / len(train), hit / len(train), F.cross_entropy(vo, vy).item(),
                   (vo.argmax(1) == vy).float().mean().item()]
            w.writerow(row)
            print([round(v, 4) for v in row])
    torch.save({"epoch": epoch, "model_state": model.state_dict(),
                "optim_state": opt.state_dict()}, out / "complaint_gru.pt")
    finish(out, __file__, {"inputs": vt[:128], "lengths": vl[:128], "targets": vy[:128]},
           causes=["data_not_shuffled", "batch_single_class"], checkpoint="complaint_gru.pt",
           log="complaints_log.csv",
           what="packed GRU, department-sorted training data with shuffle=False",
           complaint="my GRU complaint router learns really slowly, training accuracy was below "
                     "40% for six epochs and validation is only 67% after 8")


if __name__ == "__main__":
    main()
