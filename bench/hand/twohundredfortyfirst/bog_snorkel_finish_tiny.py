"""Plain torch: an MLP sorts a bog-snorkelling championship swim into one of four finishing
bands (podium, top 20, mid field, did not finish) from 16 numbers (split times of the two 55 m
lengths, flipper kick rate, water temperature, peat turbidity, age, previous best ...). The band
comes from a nonlinear score (interactions and a squared turbidity term). Intended MLP
16-64-64-4 with ReLU; Adam 3e-3, batch 64, 25 epochs of 1536 swims. Log: CSV per epoch
(``epoch,train_loss,train_acc,val_loss,val_acc``); checkpoint keys ``model``/``optim``/``epoch``.
The bug: ``HIDDEN = 2`` (a leftover from plotting a 2-D embedding) squeezes the net through two
ReLU units, so it cannot represent the score and both train and val accuracy stay low together.
Bug: epoch 10 train acc 0.5202 / val acc 0.5833, epoch 25 train loss 0.7216, train acc 0.6556,
val loss 0.7755, val acc 0.6276 (majority band 0.33). Control (``HIDDEN = 64``): epoch 5 val acc
0.6406, epoch 25 train loss 0.2024, train acc 0.9382, val acc 0.7083 (val loss 0.766, it starts
to overfit)."""
import csv

import torch
import torch.nn as nn

HIDDEN = 2


def swims(n, g):
    x = torch.randn(n, 16, generator=g)
    s = (x[:, 0] * x[:, 1] + 0.8 * x[:, 2] ** 2 - x[:, 3] + 0.7 * torch.sin(2 * x[:, 4])
         - 0.6 * x[:, 5] * x[:, 6])
    y = torch.bucketize(s, torch.tensor([-0.8, 0.3, 1.4]))
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, HIDDEN), nn.ReLU(),
                         nn.Linear(HIDDEN, 4))


def main():
    from _twohundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = swims(1536, g)
    xva, yva = swims(384, g)
    print("band shares", torch.bincount(ytr) / len(ytr))
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for ep in range(1, 26):
            model.train()
            tl = ta = 0.0
            for xb, yb in train:
                logits = model(xb)
                loss = loss_fn(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(yb)
                ta += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [ep, round(tl / 1536, 4), round(ta / 1536, 4), round(loss_fn(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 25},
               out / "bands.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="bands.pt", log="history.csv",
           what="bog-snorkelling finish-band MLP squeezed through a 2-unit hidden layer",
           complaint=COMPLAINT)


COMPLAINT = "My bog snorkelling finish-band classifier (podium / top 20 / mid field / DNF from 16 race numbers) won't get good: after 25 epochs train accuracy is 0.656 and val accuracy 0.628, loss 0.72 train / 0.78 val. Train and val are about the same so it isn't overfitting, it just doesn't learn much. I tried lr 3e-3 with Adam. What should I change?"

if __name__ == "__main__":
    main()
