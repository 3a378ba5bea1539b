"""Promoter-motif classification from DNA reads (one-hot A/C/G/T, 30 bases): which of 6
motifs (length 6) is planted somewhere in the read. A GRU reads the sequence and its last
hidden state goes to a linear layer. ``hidden_size=2`` came from a toy example and was never
raised (bug: a 2-unit GRU cannot remember which of 6 motifs it passed; train and val
accuracy both stall at 0.24-0.26, where the same script with 64 units gets 0.99 / 0.975).
Adam 1e-2, exponential lr decay, 10 epochs, JSON-lines log."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

L, MOTIFS = 30, 6


def reads(n, g, motifs):
    y = torch.randint(0, MOTIFS, (n,), generator=g)
    seq = torch.randint(0, 4, (n, L), generator=g)
    start = torch.randint(0, L - 6, (n,), generator=g)
    for i in range(n):
        seq[i, start[i]:start[i] + 6] = motifs[y[i]]
    return F.one_hot(seq, 4).float(), y


class MotifGRU(nn.Module):
    def __init__(self, hidden=2):  # BUG: far too small
        super().__init__()
        self.gru = nn.GRU(4, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, MOTIFS)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[-1])


def build():
    torch.manual_seed(0)
    return MotifGRU()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    motifs = torch.randint(0, 4, (MOTIFS, 6), generator=g)
    (x, y), (vx, vy) = reads(3000, g, motifs), reads(600, g, motifs)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "motif_log.jsonl", "w") as f:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot, correct = 0.0, 0
            for i in range(0, len(x), 64):
                idx = perm[i:i + 64]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                correct += (logits.argmax(1) == y[idx]).sum().item()
            sched.step()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            f.write(json.dumps({"epoch": epoch, "loss": tot / len(x), "acc": correct / len(x),
                                "val_loss": vloss, "val_acc": vacc}) + "\n")
    print("train", tot / len(x), correct / len(x), "val loss", round(vloss, 4),
          "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "motif_gru.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["underfitting"],
           checkpoint="motif_gru.pt", log="motif_log.jsonl",
           what="GRU with hidden_size=2 for a 6-motif task: too small to fit",
           complaint="训练集准确率也只有25%左右，训练和验证的 loss 都降不下去")


if __name__ == "__main__":
    main()
