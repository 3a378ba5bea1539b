"""Plain torch: a curry house's tandoor station flags naan that will come off the wall
burnt, from eight readings taken when the dough is slapped on: wall temperature, charcoal age,
dough hydration, dough weight, slap height, minutes since the last stoke, seconds on the wall
and ambient humidity. Burnt when the heat dose (hot wall times long on it, less for wet or
heavy dough, plus noise) passes a threshold: 2.1 % of the 4096 training naan, 2.3 % (24) of
the 1024 validation naan. MLP 8-32-ReLU-32-ReLU-1, SGD momentum 0.9 lr 0.05, batch 128, 8
epochs. Per-step TSV ``naan_bce.tsv`` (``step`` / ``epoch`` / ``bce``, ``val_bce`` /
``val_acc`` / ``val_burnt_recall`` at each epoch's last step); checkpoint keys ``net`` /
``opt`` / ``step`` / ``epoch``.

Bug: the loss is plain ``F.binary_cross_entropy_with_logits(logits, y)`` on data with one
burnt naan in 47: nothing weights the rare class (no ``pos_weight``, no resampling), so the
cheapest answer is "never burnt". Numbers: val accuracy 0.9766 in all 8 epochs (exactly the
share of good naan), burnt recall 0.0000 in all 8 epochs, val BCE 0.120 (epoch 1), 0.083,
0.075, 0.067, 0.061, 0.056, 0.053, 0.050 (epoch 8): the loss falls nicely while the model
never says "burnt" once. Control (``pos_weight=torch.tensor(40.0)`` added to the training
loss, one sed): burnt recall 1.00, 0.92, 0.96, 1.00, 1.00, 0.96, 1.00, 0.96, val accuracy
0.89 → 0.93 (0.9316 at epoch 8), val BCE 0.31 → 0.14."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def bakes(n, g):
    """Eight readings per naan slapped on the tandoor wall: wall temperature (C), charcoal
    age (min), dough hydration (%), dough weight (g), slap height (cm), minutes since the
    last stoke, seconds on the wall, ambient humidity. Burnt when the heat dose (wall
    temperature above 420 C times time on the wall, less for wet dough) is too high."""
    u = torch.rand(n, 8, generator=g)
    temp = 380 + 120 * u[:, 0]
    coal = 60 * u[:, 1]
    hyd = 60 + 15 * u[:, 2]
    weight = 80 + 60 * u[:, 3]
    height = 20 + 40 * u[:, 4]
    stoke = 30 * u[:, 5]
    secs = 50 + 50 * u[:, 6]
    hum = 30 + 50 * u[:, 7]
    dose = ((temp - 380) / 120 * 1.7 + (secs - 50) / 50 * 1.5 - (hyd - 60) / 15 * 0.7
            - (weight - 80) / 60 * 0.5 - coal / 60 * 0.3 + 0.25 * torch.randn(n, generator=g))
    y = (dose > 2.35).float()
    x = torch.stack([(temp - 440) / 35, (coal - 30) / 17, (hyd - 67.5) / 4.3,
                     (weight - 110) / 17, (height - 40) / 11.5, (stoke - 15) / 8.7,
                     (secs - 75) / 14.4, (hum - 55) / 14.4], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _twohundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bakes(4096 + 1024, g)
    xtr, ytr, xva, yva = x[:4096], y[:4096], x[4096:], y[4096:]
    print("burnt share", ytr.mean().item(), yva.mean().item())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    f = open(out / "naan_bce.tsv", "w", newline="")
    w = csv.writer(f, delimiter="\t")
    w.writerow(["step", "epoch", "bce", "val_bce", "val_acc", "val_burnt_recall"])
    step = 0
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(4096, generator=g)
        for i in range(0, 4096, 128):
            idx = perm[i:i + 128]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            row = [step, epoch, f"{loss.item():.4f}", "", "", ""]
            if i + 128 >= 4096:
                model.eval()
                with torch.no_grad():
                    lv = model(xva).squeeze(1)
                pred = (lv > 0).float()
                row[3] = f"{F.binary_cross_entropy_with_logits(lv, yva).item():.4f}"
                row[4] = f"{(pred == yva).float().mean().item():.4f}"
                row[5] = f"{(pred[yva == 1].mean()).item():.4f}"
            w.writerow(row)
        print(epoch, row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "epoch": 8}, out / "naan_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="naan_mlp.pt", log="naan_bce.tsv",
           what="MLP flagging burnt naan from tandoor readings; about 2 % positives, plain BCE",
           complaint='我们馕坑的烤焦预警模型看起来很好：验证准确率 97.7%，验证 BCE 从 0.12 一路降到 0.050，可是 8 个 epoch 里它一次都没有报过“会烤焦”，验证集里 24 个烤焦的馕一个都没抓到（召回率 0）。准确率每个 epoch 都是 0.9766，一点都没变。它到底学到了什么？')


if __name__ == "__main__":
    main()
