"""Plain torch: a residual MLP grades the caviar from one female sturgeon (farmed Russian
sturgeon, Acipenser gueldenstaedtii) at the processing table, so the grader's call can be
checked before the tins are packed: 0 = grade 000 (large, light, firm, whole eggs), 1 = grade
1, 2 = grade 2 (small, dark or soft, more broken eggs). Eight measurements per female: mean egg
diameter (2.4-3.2 mm, set by age and ovary maturity), the diameter spread, colour lightness
(L*), the share of broken eggs after screening, firmness (egg burst force, g), fat in the roe
(%), the fish's age (8-16 years) and the ultrasound maturity index taken before harvest. Grade
follows a score of diameter, lightness, firmness and broken share with grader scatter; the other
four measurements relate to it only through the fish.
Linear 8→64, 3 residual blocks (Linear-ReLU-Linear + skip, ReLU after), Linear 64→3;
cross-entropy, SGD lr 0.05 momentum 0.9 with StepLR (x0.5 every 6 epochs), batch 64, 3600 females (1200 per
grade, as the three grading sheets were typed in), 18 epochs, validation on 900.
The bug: the rows are concatenated sheet by sheet, grade by grade, and the loader is built with
``shuffle=False  # same batch order every epoch, easier to compare runs``, so every batch but the
two at the sheet joins holds one grade only.
Result: val accuracy 0.333 in all 18 epochs (every validation female called the same grade,
the one on the last sheet), train cross-entropy 0.961 → 1.440, val cross-entropy 15.5 at epoch 1,
46.2 at epoch 2 → 1.167.
Control (``shuffle=True``): train cross-entropy 0.399 → 0.181, val cross-entropy 0.302 → 0.264, val accuracy 0.893 →
0.897.
Log: JSON lines per epoch ``grading.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc``
/ ``lr``); checkpoint ``caviar_grader.ckpt`` with keys ``net`` / ``optim`` / ``sched`` /
``feat_mean`` / ``feat_std`` / ``epoch``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def females(n, grade, g):
    age = 8 + 8 * torch.rand(n, generator=g)
    mat = torch.rand(n, generator=g)
    q = torch.randn(n, generator=g)  # the fish's egg quality
    diam = 2.4 + 0.05 * (age - 8) + 0.25 * mat + 0.12 * q + 0.05 * torch.randn(n, generator=g)
    spread = 0.12 - 0.03 * mat + 0.02 * torch.rand(n, generator=g)
    light = 35 + 6 * q + 2 * mat + 3 * torch.randn(n, generator=g)
    broken = (4 - 1.5 * q - 2 * mat + torch.randn(n, generator=g)).clamp(min=0.2)
    firm = 11 + 1.2 * q + 2 * mat + torch.randn(n, generator=g)
    fat = 13 + 2 * torch.randn(n, generator=g) + 0.2 * (age - 12)
    us = mat + 0.1 * torch.randn(n, generator=g)
    x = torch.stack([diam, spread, light, broken, firm, fat, age, us], 1)
    score = (3 * (diam - 2.85) + 0.12 * (light - 37) + 0.25 * (firm - 12) - 0.3 * (broken - 2.5)
             + 0.25 * torch.randn(n, generator=g))
    y = torch.bucketize(score, torch.tensor([-0.45, 0.45]))
    y = 2 - y  # grade 000 is class 0
    keep = y == grade
    return x[keep], y[keep]


def sheets(n_per_grade, g):
    xs, ys = [], []
    for grade in range(3):  # one grading sheet per grade
        x, y = torch.zeros(0, 8), torch.zeros(0, dtype=torch.long)
        while len(x) < n_per_grade:
            a, b = females(3000, grade, g)
            x, y = torch.cat([x, a]), torch.cat([y, b])
        xs.append(x[:n_per_grade])
        ys.append(y[:n_per_grade])
    return torch.cat(xs), torch.cat(ys)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.a, self.b = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, h):
        return F.relu(h + self.b(F.relu(self.a(h))))


class CaviarGrader(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 3)

    def forward(self, x):
        return self.out(self.blocks(F.relu(self.inp(x))))


def build():
    torch.manual_seed(0)
    return CaviarGrader()


def main():
    from _twohundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sheets(1200, g)
    xva, yva = sheets(300, g)
    pv = torch.randperm(len(xva), generator=g)
    xva, yva = xva[pv], yva[pv]
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64,
                        shuffle=False)  # same batch order every epoch, easier to compare runs
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)
    with open(out / "grading.jsonl", "w") as f:
        for epoch in range(1, 19):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                n += len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl = F.cross_entropy(lv, yva).item()
                va = (lv.argmax(1) == yva).float().mean().item()
            rec = {"epoch": epoch, "loss": round(tot / n, 5), "val_loss": round(vl, 5),
                   "val_acc": round(va, 4), "lr": lr}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
                "feat_mean": mean, "feat_std": std, "epoch": 18}, out / "caviar_grader.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="caviar_grader.ckpt", log="grading.jsonl",
           what="residual MLP grading sturgeon caviar, loader unshuffled over grade-sorted sheets",
           complaint=("我们用一个残差MLP根据鱼子酱的卵径、颜色、硬度、破卵率等测量值给鲟鱼鱼子酱分级（000级、1级、2级）。"
                      "训练了18个epoch，验证集准确率一直是0.333，每个epoch都一样，所有样本都被判成同一个等级；"
                      "训练损失也不降反升，最后停在1.44左右，验证损失一开始还跳到几十。"
                      "数据我们检查过，三个等级各1200条，特征也都标准化了。请问问题出在哪里？"))


if __name__ == "__main__":
    main()
