"""Plain torch: an embedding model tells the top-sawyer of a sawpit whether a log in the
yard will open up with ring shake (the growth rings parting) when it is ripped into boards,
from his buying ledger: the species (oak, sweet chestnut, elm, ash, beech, sycamore, larch,
Scots pine), the season it was felled, the months it has lain seasoning, the butt diameter,
how exposed the wood it grew in was and the share of heartwood. Rule: a logistic risk with
a species base (chestnut and oak high, beech and pine low), wind exposure and large butts
raising it, felling in summer with the sap up raising it, long seasoning in the round
raising it slowly, heartwood share raising it on the ring-porous species; about a third
of the logs shake.
Input: two ids (species, felling season) and 4 standardised numbers. Model: Embedding 8→6
and 4→3, concatenated with the numbers, Linear 13→48, ReLU, Linear 48→48, ReLU, Linear
48→1; BCE with logits, SGD 0.05 (Nesterov momentum 0.9) with ExponentialLR(0.93), batch
100, 20 epochs of 3000 logs, validation on the last 600 of the ledger.
The bug: the ledger is shuffled before it is split, but only the inputs
(``spc, num = spc[order], num[order]  # shuffle the ledger before the split``), the
shake column stays in its old order, so every log is trained and checked against another
log's outcome: the train loss creeps from 0.649 to 0.619 only by learning the noise, the
validation loss goes up from 0.637 to 0.640, the validation accuracy sits at 0.667 (the
share of sound logs) every epoch and the AUC at 0.51-0.52 (control, ``spc, num, y =
spc[order], num[order], y[order]``: val loss 0.536 → 0.396, val acc 0.747 → 0.810, AUC
0.834 → 0.889).
Log: JSON lines per epoch ``shake_log.jsonl`` (``epoch`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_acc`` / ``val_auc``); checkpoint ``shake_embed.pt`` with keys
``model_state`` / ``optim_state`` / ``sched`` / ``epoch`` / ``species`` / ``num_mean`` /
``num_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["oak", "sweet chestnut", "elm", "ash", "beech", "sycamore", "larch", "scots pine"]
BASE = torch.tensor([0.6, 1.1, 0.0, -0.2, -1.0, -0.6, -0.3, -0.9])
RING_POROUS = torch.tensor([1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])


def ledger(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 8, (n,), generator=g)
    season = torch.randint(0, 4, (n,), generator=g)  # winter, spring, summer, autumn
    months = 1 + 23 * r(n)
    diam = 30 + 70 * r(n)  # cm
    exposed = r(n)
    heart = 0.3 + 0.5 * r(n)
    z = (BASE[sp] - 0.9 + 1.6 * (exposed - 0.5) + 0.03 * (diam - 60) + 0.9 * (season == 2).float()
         + 0.04 * (months - 12) + 2.0 * RING_POROUS[sp] * (heart - 0.55))
    y = (r(n) < torch.sigmoid(2.0 * z)).float()
    return torch.stack([sp, season], 1), torch.stack([months, diam, exposed, heart], 1), y.unsqueeze(1)


class ShakeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.species = nn.Embedding(8, 6)
        self.season = nn.Embedding(4, 3)
        self.mlp = nn.Sequential(nn.Linear(13, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, ids, num):
        return self.mlp(torch.cat([self.species(ids[:, 0]), self.season(ids[:, 1]), num], 1))


def build():
    torch.manual_seed(0)
    return ShakeNet()


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return ((pos[:, None] > neg[None, :]).float().mean()).item()


def main():
    from _threehundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    spc, num, y = ledger(3600, g)
    print("shake rate", y.mean().item())
    order = torch.randperm(len(y), generator=g)
    spc, num = spc[order], num[order]  # shuffle the ledger before the split
    mu, sd = num[:3000].mean(0), num[:3000].std(0)
    num = (num - mu) / sd
    str_, ntr, ytr = spc[:3000], num[:3000], y[:3000]
    sva, nva, yva = spc[3000:], num[3000:], y[3000:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)
    with open(out / "shake_log.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            perm = torch.randperm(3000)
            tot = 0.0
            for b in range(0, 3000, 100):
                idx = perm[b:b + 100]
                loss = F.binary_cross_entropy_with_logits(model(str_[idx], ntr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                s = model(sva, nva)
            row = {"epoch": epoch, "lr": round(lr, 6), "loss": round(tot / 3000, 5),
                   "val_loss": round(F.binary_cross_entropy_with_logits(s, yva).item(), 5),
                   "val_acc": round(((s > 0).float() == yva).float().mean().item(), 4),
                   "val_auc": round(auc(s.squeeze(1), yva.squeeze(1)), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 20, "species": SPECIES, "num_mean": mu,
                "num_std": sd}, out / "shake_embed.pt")
    finish(out, __file__, {"inputs": sva[:64], "numbers": nva[:64], "targets": yva[:64]},
           causes=["labels_wrong"], checkpoint="shake_embed.pt", log="shake_log.jsonl",
           what="embedding model predicting ring shake of sawpit logs from the buying ledger,"
                " whose inputs were shuffled before the split without their labels",
           complaint="我们用收木料的账本训练了一个预测原木会不会出环裂的小模型，树种、砍伐季节、"
                     "直径、风口这些特征都放进去了，老师傅一眼就能看出哪些料会裂。可是训练 loss"
                     " 从 0.649 只降到 0.619，验证 loss 反而从 0.637 涨到 0.640，验证准确率 20 个"
                     " epoch 一直是 0.667，正好是不裂的比例，AUC 0.51 左右，跟抛硬币差不多。"
                     "换了学习率也一样，这是为什么？")


if __name__ == "__main__":
    main()
