"""Plain torch: a residual MLP reads a safe cracking manipulation graph and says in which tenth
of the scale the notch of the first wheel sits, so the technician on an opening job only has
to work one sector by hand instead of the whole 0-99. The graph: with the other wheels parked,
wheel 1 is parked at 0, 5, ..., 95 (20 stops) and at each stop the left and right contact
points of the drive cam are read off the scale (0-99, read to a quarter number). The two
contact points close in by 0.4-1.1 numbers around the stop where the notch of wheel 1 lines up
(a dip 1-2 stops wide); the reading drifts with the parking wander and the technician reads
with 0.2-0.35 numbers of scatter, and a second, shallower dip from a rough spot on the wheel
pack shows up on a third of the graphs. Label: the sector of the notch (0-9, 10 numbers each).
Inputs: the 20 left and 20 right contact points, each minus its own graph mean.
Linear 40→96, 3 residual blocks (LayerNorm-Linear-ReLU-Linear), linear 96→10, cross-entropy,
SGD 0.02 with momentum 0.9 (weight decay 1e-4), StepLR meant as "x0.5 every 8 epochs", 30
epochs, batch 32, 4000 graphs, validation on 400.
The bug: ``sched.step()  # decay the lr`` sits inside the batch loop (the last line of it), so
the "every 8 epochs" halving happens every 8 batches: 125 batches an epoch, the lr is 0.02
* 0.5^15 = 6e-7 after the first epoch and 9e-12 after the second.
Result: val accuracy 0.485 after epoch 1 and 0.485 to the end, val loss 1.866 after epoch
1 and 1.866 to the end, train loss 1.923 → 1.837 from epoch 2 on, lr logged 6.1e-7 → 2.6e-143.
Control (the ``sched.step()`` one level out, once per epoch): val accuracy 0.693 → 0.71 at
epoch 9 → 0.685, val loss 0.886 → best 0.864 at epoch 3 → 1.644 (it overfits the later
epochs), train loss 1.186 → 0.039.
Log: a TSV per epoch ``manip_train.tsv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``lr``); checkpoint ``notch_resmlp.pt`` with keys ``weights`` / ``sgd`` / ``sched`` /
``epochs_run``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STOPS = torch.arange(0, 100, 5).float()


def graphs(n, g):
    notch = 100 * torch.rand(n, generator=g)
    wander = torch.cumsum(0.08 * torch.randn(n, 20, generator=g), 1)
    width = 0.7 + 1.3 * torch.rand(n, 1, generator=g)
    depth = 0.35 + 0.55 * torch.rand(n, 1, generator=g)
    d = (STOPS[None] - notch[:, None] + 50) % 100 - 50
    dip = depth * torch.exp(-(d / (5 * width)) ** 2)
    rough = 100 * torch.rand(n, generator=g)
    d2 = (STOPS[None] - rough[:, None] + 50) % 100 - 50
    dip2 = (torch.rand(n, 1, generator=g) < 0.33) * 0.35 * torch.exp(-(d2 / 5) ** 2)
    noise = 0.2 + 0.15 * torch.rand(n, 1, generator=g)
    lcp = 12.0 + wander + dip + dip2 + noise * torch.randn(n, 20, generator=g)
    rcp = 4.0 + wander - dip - dip2 + noise * torch.randn(n, 20, generator=g)
    lcp, rcp = (lcp * 4).round() / 4, (rcp * 4).round() / 4
    x = torch.cat([lcp - lcp.mean(1, keepdim=True), rcp - rcp.mean(1, keepdim=True)], 1)
    return x, (notch // 10).long().clamp(0, 9)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.ReLU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(40, 96), Block(96), Block(96), Block(96), nn.ReLU(),
                         nn.Linear(96, 10))


def main():
    from _twohundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = graphs(4000, g)
    xva, yva = graphs(400, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    with open(out / "manip_train.tsv", "w") as f:
        f.write("epoch\ttrain_ce\tval_ce\tval_acc\tlr\n")
        for epoch in range(1, 31):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
                sched.step()  # decay the lr
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                v = F.cross_entropy(lo, yva).item()
                acc = (lo.argmax(1) == yva).float().mean().item()
            lr = opt.param_groups[0]["lr"]
            print(epoch, round(tot / n, 4), round(v, 4), round(acc, 4), lr)
            f.write(f"{epoch}\t{tot / n:.5f}\t{v:.5f}\t{acc:.4f}\t{lr:.3e}\n")
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(),
                "sched": sched.state_dict(), "epochs_run": 30}, out / "notch_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="notch_resmlp.pt", log="manip_train.tsv",
           what="residual MLP placing the notch of a safe lock's first wheel from a contact"
                " point graph; StepLR stepped every batch",
           complaint=("我们用残差 MLP 从开锁时记下的接触点曲线判断第一个轮片的缺口在哪个区间。"
                      "第一轮之后验证准确率就停在 0.29 左右，之后 29 轮几乎一动不动，训练损失"
                      "也卡在 1.96 下不去。数据我们人工核对过，曲线上的凹陷肉眼都看得出来，"
                      "换了随机种子也一样。模型是不是太小了，还是哪里设置错了？"))


if __name__ == "__main__":
    main()
