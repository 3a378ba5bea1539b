"""Plain torch loop: a wide MLP flags what a trekking guide must load before a day on the trail
(multi-label, 5 flags: rain shells, extra water, a spare pack animal, river-ford
warning, early start) from 30 numbers of the morning's forecast and route card (rain chance,
temperature, wind, route length, ascent, group size, pack weight, ...); each flag is a
threshold rule on 2-3 of those numbers with 8 % of labels flipped, and about half of the 30
inputs play no part. MLP 30-512-512-5 (ReLU), BCE with logits, Adam 1e-3, batch 16, 150 epochs,
validation on 400 days every epoch (BCE, micro F1).
Bug: the guide's records hold only ``N_TRAIN = 96`` days and nothing limits a 280k-parameter
net on them (no weight decay, no dropout, no early stop, 150 epochs), so it memorises the 96
days, flipped labels included. Measured: train BCE 0.67 -> 0.0001, val BCE 0.517 (epoch 4) -> 1.34,
val F1 0.66-0.67 flat; control (``N_TRAIN = 3000``): train BCE 0.64 -> ~0.32, val BCE
0.63 -> 0.39-0.42, val F1 0.33 -> 0.79-0.81.
Log: ``train.csv`` per epoch (``epoch`` / ``bce``) and ``val.jsonl`` per epoch (``epoch`` /
``val_bce`` / ``val_f1``). Checkpoint ``daypack.pt``: ``mlp`` / ``optimizer`` / ``epoch`` /
``n_train``."""
import json

import torch
import torch.nn as nn

N_TRAIN = 96  # all the trek days we have logged


def trek_days(n, g):
    x = torch.randn(n, 30, generator=g)
    flags = torch.stack([
        (x[:, 0] + 0.5 * x[:, 2] > 0.3),
        (x[:, 1] + x[:, 4] > 0.5),
        (x[:, 5] + 0.7 * x[:, 6] - 0.4 * x[:, 3] > 0.6),
        (x[:, 7] < -0.4) & (x[:, 1] < 0.2),
        (x[:, 3] + x[:, 4] - x[:, 8] > 0.2),
    ], 1).float()
    flip = torch.rand(n, 5, generator=g) < 0.08
    return x, torch.where(flip, 1 - flags, flags)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(30, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 5))


def f1(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum()
    return (2 * tp / (p.sum() + y.sum()).clamp(min=1)).item()


def main():
    from _twohundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xva, yva = trek_days(400, g)
    xtr, ytr = trek_days(N_TRAIN, g)
    print("flag rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=16, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    with open(out / "train.csv", "w") as ft, open(out / "val.jsonl", "w") as fv:
        ft.write("epoch,bce\n")
        for epoch in range(150):
            net.train()
            tot = 0.0
            for i, (xb, yb) in enumerate(loader):
                if i == 6:  # same number of steps per epoch whatever N_TRAIN is
                    break
                opt.zero_grad()
                loss = bce(net(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item()
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            ft.write(f"{epoch},{tot / 6:.5f}\n")
            rec = {"epoch": epoch, "val_bce": round(bce(lv, yva).item(), 5),
                   "val_f1": round(f1(lv, yva), 4)}
            fv.write(json.dumps(rec) + "\n")
            if epoch % 10 == 9 or epoch < 5:
                print(round(tot / 6, 4), rec)
    torch.save({"mlp": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 150,
                "n_train": N_TRAIN}, out / "daypack.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="daypack.pt", log="train.csv",
           what="trekking day-pack multi-label MLP (280k parameters) trained 150 epochs on 96"
                " days",
           complaint=("给徒步向导做的装备清单多标签模型（5 个标签）越训越差：训练 loss 很快降到 0.0001，"
                      "可验证集 BCE 从第 5 个 epoch 的 0.52 一路涨到 1.34，F1 一直卡在 0.67 左右。"
                      "规则其实很简单（几个天气和路线数字的阈值），是网络不够大还是学习率该调？"))


if __name__ == "__main__":
    main()
