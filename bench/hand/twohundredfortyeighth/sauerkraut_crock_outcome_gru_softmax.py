"""Plain torch: a GRU reads 21 days of a home sauerkraut crock's daily readings (brine pH,
brine salinity %, cellar temperature, airlock bubbles per minute, brine level above the
cabbage, plus a surface-film score) and predicts how the crock turns out: good, soft (too warm,
fermented too fast), mouldy (brine dropped below the cabbage) or stalled (too salty, pH never
falls). GRU(6→48), Linear(48→4); Adam 3e-3, batch 64, 16 epochs of 1024 crocks.
Checkpoint ``state_dict`` / ``optimizer`` / ``step`` / ``epoch``; log: CSV every 4 steps
(``step``, ``epoch``, ``nll``, ``acc``; ``val_nll``, ``val_acc`` filled on each epoch's last
row).
The bug: the head turns logits into probabilities with ``torch.softmax(logits, dim=0)`` and the
loss is ``F.nll_loss(torch.log(probs), y)``: each class column is normalised over the batch
instead of each crock over its 4 outcomes.
Train NLL 3.41 after epoch 1 → 2.85 at epoch 16, val NLL 4.74 → 4.21–4.27 (above ln 4 = 1.39
every epoch), while the batch accuracy is high: val accuracy 0.89 at epoch 1, 0.95–0.98 from
epoch 2 (0.977 at epoch 16).
Control (``dim=1`` in both places): train NLL ~0.04, val NLL 0.604 → 0.047–0.066, val accuracy
0.945 → 0.973."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

D = 21


def crocks(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(D).float()[None]
    temp = 18 + 1.5 * torch.randn(n, 1, generator=g) + 5.0 * (y == 1).float()[:, None]
    salt = 2.0 + 0.2 * torch.randn(n, 1, generator=g) + 1.6 * (y == 3).float()[:, None]
    rate = (0.12 + 0.01 * (temp - 18)) * (1 - 0.8 * (y == 3).float()[:, None])
    ph = 6.2 - 2.7 * (1 - torch.exp(-rate * t)) + 0.08 * torch.randn(n, D, generator=g)
    bubbles = 20 * rate * torch.exp(-rate * t * 0.8) * 10 + torch.randn(n, D, generator=g)
    drop_day = torch.randint(5, 15, (n, 1), generator=g).float()
    level = 2.0 - 0.05 * t - 2.5 * ((y == 2).float()[:, None] * (t > drop_day).float())
    film = (0.3 * torch.randn(n, D, generator=g)
            + 1.2 * (y == 2).float()[:, None] * (t > drop_day + 2).float())
    x = torch.stack([(ph - 4.5) / 1.0, (salt.expand(n, D) - 2.5) / 0.8
                     + 0.1 * torch.randn(n, D, generator=g),
                     (temp + 1.0 * torch.randn(n, D, generator=g) - 20) / 3, bubbles / 5,
                     level + 0.3 * torch.randn(n, D, generator=g), film], 2)
    return x, y


class CrockGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return CrockGRU()


def main():
    from _twohundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crocks(1024, g)
    xva, yva = crocks(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "crocks_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "nll", "acc", "val_nll", "val_acc"])
        for epoch in range(1, 17):
            model.train()
            perm = torch.randperm(1024, generator=g)
            for i in range(0, 1024, 64):
                idx = perm[i:i + 64]
                logits = model(xtr[idx])
                probs = torch.softmax(logits, dim=0)
                loss = F.nll_loss(torch.log(probs), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                row = [step, epoch, f"{loss.item():.4f}",
                       f"{(logits.argmax(1) == ytr[idx]).float().mean().item():.4f}", "", ""]
                if i + 64 >= 1024:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                        pv = torch.softmax(lv, dim=0)
                        row[4] = f"{F.nll_loss(torch.log(pv), yva).item():.4f}"
                        row[5] = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                    print(row)
                if step % 4 == 0 or row[4]:
                    w.writerow(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 16}, out / "crock_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="crock_gru.pt", log="crocks_log.csv",
           what="sauerkraut crock outcome GRU whose softmax normalises over the batch",
           complaint=('我的酸菜坛结局分类 GRU（好 / 发软 / 发霉 / 不发酵，四类）验证准确率已经 97% 了，可训练 NLL 一直卡在 2.8–2.9，验证 NLL 在 4.2 左右降不下去，比随便猜四类的 ln4≈1.39 还高。准确率这么高，损失怎么会这么大？训练 16 个 epoch 都没变化，是不是数据有问题？'))


if __name__ == "__main__":
    main()
