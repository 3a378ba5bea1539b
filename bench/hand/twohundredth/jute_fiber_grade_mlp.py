"""Plain torch: an MLP grades raw jute fiber bales (TD-1 … TD-4 collapsed to 4 grades) for a
jute mill's buying desk from 40 lab numbers per bale: strength, fineness, colour, root-content
share, defects, moisture and 34 more readings from the fibre tester (many of them weakly
informative or pure noise). The grade comes from a noisy score of a handful of them (strength,
fineness, root content, colour, an interaction of moisture and defects). MLP 40-256-256-4 with
ReLU, Adam 1e-3, batch 32, 60 epochs, shuffled; 1024 validation bales. Log: CSV per epoch
(``epoch``, ``loss``, ``acc``, ``val_loss``, ``val_acc``); checkpoint ``model`` / ``optim``
/ ``epoch``.
The bug: a "quick check" line ``xtr, ytr = xtr[:160], ytr[:160]`` left
in after generating 4096 training bales: the 40-128-128-4 MLP (~22 k weights) is trained on
160 bales with 40 inputs. Train accuracy 0.33 → 0.66 at 10 → 0.96 at 30 and train loss 1.38 →
0.18, while val loss bottoms at 1.087 (epoch 15) and climbs to 1.233 at 30 and val accuracy
stalls at 0.50–0.55. Control (the line deleted, all 4096 bales): val loss 0.786 → 0.474 at 15
→ 0.529 at 30, val accuracy 0.63 → 0.81 at 15 → 0.79 at 30, train accuracy 0.89."""
import csv

import torch
import torch.nn as nn


def bales(n, g):
    x = torch.randn(n, 40, generator=g)
    score = (1.2 * x[:, 0] + 0.9 * x[:, 1] - 0.8 * x[:, 2] + 0.5 * torch.tanh(2 * x[:, 3])
             - 0.6 * x[:, 4] * x[:, 5] + 0.3 * torch.randn(n, generator=g))
    y = torch.bucketize(score, torch.tensor([-1.0, 0.0, 1.0]))
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(40, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 128),
                         nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 4))


def main():
    from _twohundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bales(4096, g)
    xva, yva = bales(1024, g)
    xtr, ytr = xtr[:160], ytr[:160]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "grade_history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
        for epoch in range(1, 31):
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
            row = [epoch, round(tl / len(xtr), 4), round(ta / len(xtr), 4),
                   round(loss_fn(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 30},
               out / "grade_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="grade_mlp.pt", log="grade_history.csv",
           what="jute fiber grade MLP 40-256-256-4 trained on 160 of 4096 bales",
           complaint=("Jute bale grading net: training accuracy reaches 0.96 after 30 epochs but validation "
                     "accuracy is stuck around 0.50-0.55 on 1024 bales, and val loss goes down to 1.09 at epoch "
                     "15 and then back up to 1.23. There is dropout 0.3 already. How do I get validation up?"))


if __name__ == "__main__":
    main()
