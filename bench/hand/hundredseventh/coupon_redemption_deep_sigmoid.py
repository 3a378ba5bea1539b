"""E-commerce coupon redemption: will a customer redeem the emailed coupon within 14 days? 14
tabular features per (customer, coupon) — log recency / frequency / spend, discount %, minimum
basket, days to expiry, email opens, cart abandonments, app user, and a 5-way coupon category
one-hot — standardised. Redemption (31 % of the rows) follows a logistic of a non-linear score:
discount × price sensitivity, recent cart abandonment, category match with past purchases,
expiry pressure. A "deep" MLP: 14 → 64, then 9 more Linear(64, 64) + Sigmoid layers (the author
kept the textbook's sigmoid), a linear head; PyTorch default init. SGD lr 0.05, momentum 0.9,
batch 128, 12 epochs of 6000 rows; BCE; a CSV log per epoch
``epoch,train_bce,val_bce,val_auc,val_acc``.
Bug: ten stacked sigmoids at default init — each layer multiplies the backward signal by at
most 0.25 × a small weight matrix, so the first layers get nothing: weight-gradient norms on a
validation batch from 8e-10 (first Linear) to 0.21 (head). The train BCE goes 0.669 → 0.651
and stays there (the base-rate entropy, 0.65), val AUC 0.45–0.53, val accuracy 0.656 every
epoch (= "nobody redeems"). Control (``DEPTH = 2``, the same sigmoid, init and SGD): val AUC
0.868, val BCE 0.424, val accuracy 0.81 from epoch 4; the same 10 layers with ReLU instead of
sigmoid (default init again) stall as well (val AUC 0.59, BCE 0.646)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

DEPTH, WIDTH = 10, 64


def coupons(n, g):
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    recency, freq, spend = r(n), r(n), r(n)
    discount = torch.rand(n, generator=g) * 40 + 5          # %
    min_basket, expiry, opens = r(n), torch.rand(n, generator=g) * 30, torch.poisson(
        torch.full((n,), 2.0), generator=g)
    abandon = torch.poisson(torch.full((n,), 0.8), generator=g)
    app = (torch.rand(n, generator=g) < 0.4).float()
    cat = torch.randint(0, 5, (n,), generator=g)
    fav = torch.randint(0, 5, (n,), generator=g)
    sens = torch.sigmoid(-spend + 0.5 * r(n))                # price sensitivity
    score = (0.12 * discount * sens - 1.2 * recency + 0.6 * freq + 0.9 * (abandon > 0)
             + 1.4 * (cat == fav) - 0.08 * expiry + 0.3 * opens - 0.7 * min_basket - 2.7)
    y = (torch.rand(n, generator=g) < torch.sigmoid(score)).float()
    x = torch.stack([recency, freq, spend, discount, min_basket, expiry, opens, abandon, app,
                     (cat == fav).float()], 1)
    x = torch.cat([x, F.one_hot(cat, 5).float()[:, :4]], 1)
    return x, y


def build():
    torch.manual_seed(0)
    layers = [nn.Linear(14, WIDTH), nn.Sigmoid()]
    for _ in range(DEPTH - 1):
        layers += [nn.Linear(WIDTH, WIDTH), nn.Sigmoid()]
    return nn.Sequential(*layers, nn.Linear(WIDTH, 1))


def auc(score, y):
    r = score.argsort().argsort().float() + 1
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def main():
    from _hundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = coupons(7500, g)
    mu, sd = x[:6000].mean(0), x[:6000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:6000], y[:6000], x[6000:], y[6000:]
    print("redeemed share", ytr.mean().item())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with open(out / "coupon_log.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "train_bce", "val_bce", "val_auc", "val_acc"])
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot = 0.0
            for i in range(0, len(perm), 128):
                idx = perm[i:i + 128]
                loss = F.binary_cross_entropy_with_logits(model(xtr[idx])[:, 0], ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)[:, 0]
                row = [epoch, round(tot / len(xtr), 4),
                       round(F.binary_cross_entropy_with_logits(lo, yva).item(), 4),
                       round(auc(lo, yva), 4), round(((lo > 0).float() == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 11,
                "feature_mean": mu, "feature_std": sd}, out / "coupon_mlp_final.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["vanishing_gradients"],
           checkpoint="coupon_mlp_final.pt", log="coupon_log.csv",
           what="10-layer sigmoid MLP with default init under SGD for coupon redemption",
           complaint="优惠券核销预测模型训练了12个epoch，训练损失几乎不动（0.6685 → 0.6506），"
                     "验证AUC一直在0.45到0.53之间，跟随机猜差不多；验证准确率每个epoch都是0.656，"
                     "正好是“全部预测不核销”的比例。学习率0.05、动量0.9。")


if __name__ == "__main__":
    main()
