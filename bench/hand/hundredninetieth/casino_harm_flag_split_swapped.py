"""Plain torch: an MLP flags loyalty-card members of a casino for a safer-gambling call from 30
numbers of their last 90 days (session length, night-time share, deposits per visit, losses
chased within a session, ATM withdrawals on the floor, bet-size escalation, ...). The flag (about
45 %) comes from a few combinations of 5 of the features plus 2 % disagreement between the
reviewers. MLP 30-64-64-1 with dropout 0.2, BCE with logits, Adam 1e-3, batch 32, 40 epochs;
5000 members, meant as 90 % train / 10 % validation.
The bug: the split line slices with the cut index the wrong way round (``x[:cut]`` for training
with ``cut = int(0.1 * len(x))``), so the network trains on 500 members and validates on 4500.
It memorises them: train loss 0.69 → 0.26 at epoch 10 → 0.063 at epoch 40, while val loss is
lowest at epoch 10 (0.363) and climbs to 0.55, val accuracy 0.84–0.85 from epoch 10 on.
Control (the slices the right way round, 4500 to train): val loss 0.36 → 0.26 at epoch 10 →
0.246 at epoch 40, val accuracy 0.91, train loss 0.16."""
import json
import sys

import torch
import torch.nn as nn


def members(n, g):
    x = torch.randn(n, 30, generator=g)
    s = x[:, 0] + 0.8 * x[:, 1] + torch.tanh(2 * x[:, 2]) + 0.6 * x[:, 3] * x[:, 4] - 0.2
    y = (s > 0).float()
    flip = torch.rand(n, generator=g) < 0.02
    return x, torch.where(flip, 1 - y, y)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 64),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = members(5000, g)
    cut = int(0.1 * len(x))
    xtr, ytr, xva, yva = x[:cut], y[:cut], x[cut:], y[cut:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    with open(out / "harm_flag.jsonl", "w") as f:
        for epoch in range(40):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot = 0.0
            for i in range(0, len(xtr), 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva).squeeze(1)
            rec = {"epoch": epoch + 1, "train_loss": round(tot / len(xtr), 5),
                   "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_accuracy": round(((lv > 0).float() == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": 40},
               out / "harm_flag_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="harm_flag_mlp.pt", log="harm_flag.jsonl",
           what="casino safer-gambling flag MLP, train/val slices swapped (trains on 10 %)",
           complaint=("Safer-gambling flag model for our casino's loyalty members: training loss"
                      " keeps falling to 0.06, but validation loss is best at epoch 10 (0.36) and"
                      " then rises to 0.55 by epoch 40; validation accuracy stuck at 0.84. We have"
                      " 5000 labelled members, MLP 64-64 with dropout 0.2 already, Adam 1e-3."
                      " Should I add more dropout or weight decay?"))


if __name__ == "__main__":
    main()
