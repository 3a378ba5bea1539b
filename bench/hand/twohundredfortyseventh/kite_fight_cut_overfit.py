"""Plain torch: an MLP predicts which of two fighting kites cuts the other's line (binary: ours
or theirs) from 24 numbers the club logs per duel: line coating grit and glass load, line
diameter, kite spans and weights, bridle angles, wind speed and gusts, height of the
crossing, pull-versus-release style, crossing angle, sun and humidity, ... The winner comes
from a few smooth combinations (coating × pull speed, crossing angle vs height, gusts vs kite
weight) plus noise. MLP 24-128-128-1 (ReLU, dropout 0.2), ``BCEWithLogitsLoss``, AdamW 1e-3
(weight decay 0.01), 1500 steps of 32 duels drawn at random. Checkpoint dict
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``; a CSV every 50 steps (``step``,
``train_loss``, ``train_acc``, ``val_loss``, ``val_acc``).
The bug: ``duels = duels[:120]`` left in from a quick smoke test trims 2400 logged duels to 120,
so a 20 k-parameter MLP learns those 120 by heart. 1500 steps (400 passes over the 120 duels):
train loss 0.50 (step 50) → 0.0007, train accuracy 1.0 from step 250; val loss 0.578 → 0.83
(step 150) → 2.51 at step 1500, val accuracy 0.70–0.74 throughout.
Control (the trim removed, all 2400 duels, 20 passes): train loss 0.53 → 0.19, val loss 0.578 →
0.39–0.40 (steps 500–750) → 0.43 at step 1500, val accuracy 0.73 → 0.81."""
import csv

import torch
import torch.nn as nn


def duel_log(n, g):
    x = torch.randn(n, 24, generator=g)
    s = (1.2 * torch.tanh(x[:, 0] * x[:, 1]) + 0.8 * x[:, 2] - 0.7 * (x[:, 3] - x[:, 4]).abs()
         + 0.6 * torch.sin(1.5 * x[:, 5]) - 0.5 * x[:, 6] * x[:, 7] + 0.4 * x[:, 8])
    y = (s + 0.5 * torch.randn(n, generator=g) > 0.1).float()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 128),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 1))


def main():
    from _twohundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    duels = duel_log(2400, g)
    val = duel_log(400, g)
    duels = duels[0][:120], duels[1][:120]
    xtr, ytr = duels
    xva, yva = val
    n = len(xtr)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    loss_fn = nn.BCEWithLogitsLoss()
    step, tot, hit, seen = 0, 0.0, 0.0, 0
    with open(out / "duels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "train_loss", "train_acc", "val_loss", "val_acc"])
        while step < 1500:
            model.train()
            idx = torch.randint(0, n, (32,), generator=g)
            logit = model(xtr[idx]).squeeze(1)
            loss = loss_fn(logit, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * 32
            hit += ((logit > 0).float() == ytr[idx]).sum().item()
            seen += 32
            if step % 50 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva).squeeze(1)
                vl = loss_fn(lv, yva).item()
                va = ((lv > 0).float() == yva).float().mean().item()
                if step % 250 == 0:
                    print(step, round(tot / seen, 4), round(hit / seen, 4), round(vl, 4),
                          round(va, 4))
                w.writerow([step, f"{tot / seen:.4f}", f"{hit / seen:.4f}", f"{vl:.4f}",
                            f"{va:.4f}"])
                tot, hit, seen = 0.0, 0.0, 0
    torch.save({"step": step, "epoch": step * 32 // n, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "duel_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="duel_mlp.pt", log="duels.csv",
           what="kite-fight duel winner MLP trained on 120 of 2400 duels (smoke-test slice left"
                " in)",
           complaint=COMPLAINT)


COMPLAINT = ("我们风筝格斗俱乐部做了个模型，预测每场对决谁会割断对方的线。训练损失从0.50"
             "一直降到0.001以下，训练准确率100%，可是验证损失从0.58涨到2.5，验证准确率一直在"
             "0.70左右，基本没进步。我们一共记录了2400场对决。是网络不够大，还是学习率要调？")


if __name__ == "__main__":
    main()
