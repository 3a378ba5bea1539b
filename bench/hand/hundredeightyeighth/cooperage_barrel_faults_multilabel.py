"""Plain torch: a multi-label MLP lists the faults a finished barrel has when it leaves a
cooperage (4 labels, any number at once: weeping joint, split stave, loose hoop, uneven
toast) from 18 numbers the end-of-line rig measures (stave thicknesses and moisture at 6
points, head fit gap, hoop tension at 4 hoops, pressure-test decay, char-depth spread, ...).
Each fault follows a few of the measurements nonlinearly (a weeping joint = large fit gap or
a moist, thin stave; a loose hoop = low tension on either end hoop, ...); fault rates 22–37 %.
MLP 18-64-64-4 with ``BCEWithLogitsLoss``, Adam, batch 32, 20 epochs of 1280 barrels; JSON
lines per epoch (``loss``, ``val_loss``, ``val_micro_f1``, ``val_exact``).
The bug: ``lr=1e-5``, the learning rate of the fine-tuning recipe the script was started
from. The loss creeps from 0.703 to 0.674 in 20 epochs (val loss 0.701 → 0.674), val
micro-F1 falls 0.36 → 0.18 as the outputs drift towards "no fault", exact match 0.16.
Control (``lr=1e-3``): epoch 20 train loss 0.156, val loss 0.271, micro-F1 0.79, exact
match 0.60."""
import json
import sys

import torch
import torch.nn as nn


def barrels(n, g):
    x = torch.randn(n, 18, generator=g)
    weep = (x[:, 12] > 0.9) | ((x[:, 6] > 0.5) & (x[:, 0] < -0.3))
    split = (x[:, 1] * x[:, 7] > 0.8) | (x[:, 2] < -1.4)
    loose = torch.minimum(x[:, 13], x[:, 16]) < -0.8
    toast = (x[:, 17].abs() > 1.2) | (x[:, 3] + x[:, 4] > 1.6)
    return x, torch.stack([weep, split, loose, toast], 1).float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(18, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def scores(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum().item()
    f1 = 2 * tp / max(p.sum().item() + y.sum().item(), 1)
    return f1, (p == y).all(1).float().mean().item()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = barrels(1280, g)
    xva, yva = barrels(320, g)
    print("fault rates", ytr.mean(0).tolist())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-5)
    loss_fn = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "faults_log.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            perm = torch.randperm(1280, generator=g)
            tot = 0.0
            for i in range(0, 1280, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() / 40
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            f1, exact = scores(lv, yva)
            rec = {"epoch": epoch + 1, "global_step": step, "loss": round(tot, 4),
                   "val_loss": round(loss_fn(lv, yva).item(), 4), "val_micro_f1": round(f1, 4),
                   "val_exact": round(exact, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "global_step": step,
                "epoch": 20}, out / "barrel_faults.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="barrel_faults.pt", log="faults_log.jsonl",
           what="multi-label MLP for barrel faults at a cooperage, Adam lr 1e-5",
           complaint=("桶厂出厂检测的多标签模型（渗漏、裂板、箍松、烘烤不均）训练了20个epoch，"
                      "loss 只从 0.70 降到 0.67，验证集 micro-F1 反而从 0.36 掉到 0.18，完全匹配率 0.16。"
                      "用的是 Adam，batch 32，18 个测量特征。是不是特征不够，还是模型太小？"))


if __name__ == "__main__":
    main()
