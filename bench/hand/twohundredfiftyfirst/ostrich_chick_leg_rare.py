"""Plain torch: an MLP with BatchNorm flags ostrich chicks that will develop splayed legs in their
first month (binary, about 4 % of chicks) from 12 numbers an ostrich farm records at hatch:
incubator temperature and humidity means and swings, egg weight loss %, days to pip, hatch
weight, yolk-sac score, floor type of the brooder, first-week weight gain, shank length and
toe angle, standardised. Splayed legs come from a hot, dry incubation with high egg weight
loss, heavy fast-growing chicks on a smooth floor and a wide toe angle.
Linear(12→64)-BN-ReLU-Linear(64→32)-BN-ReLU-Linear(32→1), ``BCEWithLogitsLoss``; Adam 1e-3,
batch 64, 20 epochs of 4096 chicks, shuffled. Log: TSV per epoch (epoch, bce, val_bce,
val_acc, val_recall, val_precision) on 1024 held-out chicks.
The bug: the loss is the plain ``nn.BCEWithLogitsLoss()`` on the raw 25:1 data, no
``pos_weight`` or resampling (2.4 % positives). Val accuracy 0.975–0.977 (the all-negative
rate is 0.976), val recall 0.0 in epochs 2–7 and 0.04–0.20 after (0.20 at epoch 20), train
BCE 0.53 → 0.027.
Control (``nn.BCEWithLogitsLoss(pos_weight=torch.tensor(40.0))``): val recall 1.0, 0.88,
0.88, 0.84 in epochs 1–4, 0.56–0.80 later (0.56 at epoch 20, precision 0.22), val accuracy
0.94."""
import sys

import torch
import torch.nn as nn

F_IN = 12


def chicks(n, g):
    x = torch.randn(n, F_IN, generator=g)
    risk = (0.9 * x[:, 0] - 0.7 * x[:, 1] + 0.8 * x[:, 4] + 0.9 * x[:, 9] + 0.6 * x[:, 11]
            + 0.7 * (x[:, 8] > 0.5).float() * x[:, 10] + 1.2 * torch.randn(n, generator=g))
    y = (risk > risk.quantile(0.98)).float()
    return x, y.unsqueeze(1)


class LegNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(F_IN, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return LegNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = chicks(5120, g)
    xtr, ytr, xva, yva = x[:4096], y[:4096], x[4096:], y[4096:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    f = open(out / "legs.tsv", "w")
    f.write("epoch\tbce\tval_bce\tval_acc\tval_recall\tval_precision\n")
    for epoch in range(20):
        model.train()
        perm = torch.randperm(4096, generator=g)
        tot = 0.0
        for i in range(0, 4096, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
            pred = (lv > 0).float()
            acc = (pred == yva).float().mean().item()
            tp = (pred * yva).sum().item()
            rec, prec = tp / yva.sum().item(), tp / max(pred.sum().item(), 1.0)
        f.write(f"{epoch + 1}\t{tot / 4096:.4f}\t{vl:.4f}\t{acc:.4f}\t{rec:.4f}\t{prec:.4f}\n")
        print(epoch + 1, round(tot / 4096, 4), round(vl, 4), round(acc, 4), round(rec, 4),
              round(prec, 4))
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "step": 20 * 64}, out / "legnet.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="legnet.pth", log="legs.tsv",
           what="BN MLP flagging ostrich chicks that will develop splayed legs (rare positive)",
           complaint=("鸵鸟场的数据：用孵化时记录的12个数值预测雏鸟第一个月会不会出现腿部外翻。"
                      "训练20个epoch，验证准确率有97.7%，看起来很好，但真正腿外翻的25只雏鸟"
                      "几乎一只都没找出来（召回率0到0.2），大部分epoch是0。损失一直在降。"
                      "这个准确率是真的吗？为什么抓不到病例？"))


if __name__ == "__main__":
    main()
