"""Podcasting: predict the listening panel's opinion-score distribution (how many listeners gave
1–5 stars for audio quality) of an episode segment from 24 measured features (loudness LUFS,
true-peak overs, noise floor, room reverb, codec bitrate, clipping count, de-esser activity, …;
synthetic: a latent quality that drives the features nonlinearly, plus a "controversy" that
widens the panel's spread, 20 listeners per segment). Label-distribution learning: an MLP
24-64-64-5, ``nn.KLDivLoss(reduction="batchmean")`` against the panel's vote histogram, Adam
1e-3, batch 64, 20 epochs of 2500 segments; a CSV log of train/val loss, the val mean-opinion-score
MAE (expected stars vs the panel's mean) and the val top-vote accuracy.
Bug: the KL loss gets ``torch.softmax(model(x), 1)`` as its input instead of
``torch.log_softmax``: the "KL" goes negative at once (train −1.23 → −1.49, val −1.33 → −1.49,
flat after epoch 5) and the model is pushed to put all its mass on the most-voted star, so the
val MOS MAE gets worse while the loss falls, 0.267 → 0.356, top-vote accuracy 0.76; the
control (``log_softmax``) has train KL 0.445 → 0.085, val KL 0.088, val MOS MAE 0.142, top-vote
accuracy 0.75."""
import csv

import torch
import torch.nn as nn

D, STARS = 24, 5


def segments(n, g):
    q = 1 + 4 * torch.rand(n, generator=g)          # latent quality, 1..5 stars
    spread = 0.35 + 0.9 * torch.rand(n, generator=g)  # controversy
    w = torch.randn(3, D, generator=torch.Generator().manual_seed(20))  # the measurement chain
    z = torch.stack([(q - 3) / 1.2, ((q - 3) / 1.2) ** 2 - 0.6, (spread - 0.8) / 0.3], 1)
    x = torch.tanh(z @ w) + 0.15 * torch.randn(n, D, generator=g)
    votes = (q[:, None] + spread[:, None] * torch.randn(n, 20, generator=g)).round().clamp(1, 5)
    hist = torch.stack([(votes == s).float().mean(1) for s in range(1, 6)], 1)
    return x, hist


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, STARS))


def main():
    from _hundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(21)
    xtr, htr = segments(2500, g)
    xva, hva = segments(600, g)
    stars = torch.arange(1, 6).float()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.KLDivLoss(reduction="batchmean")
    f = open(out / "mos_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_kl", "val_kl", "val_mos_mae", "val_top_vote_acc"])
    gen = torch.Generator().manual_seed(22)
    for ep in range(1, 21):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = criterion(torch.softmax(model(xtr[idx]), 1), htr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            p = torch.softmax(lo, 1)
            row = [ep, round(tot / len(xtr), 4), round(criterion(torch.softmax(lo, 1), hva).item(), 4),
                   round(((p * stars).sum(1) - (hva * stars).sum(1)).abs().mean().item(), 4),
                   round((p.argmax(1) == hva.argmax(1)).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"mlp": model.state_dict(), "adam_state": opt.state_dict(), "epochs_done": 20,
                "listeners": 20}, out / "mos_mlp.pth")
    finish(out, __file__, (xva[:64], hva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="mos_mlp.pth", log="mos_training.csv",
           what="podcast panel opinion-score distribution MLP, KLDivLoss fed softmax probabilities",
           complaint="播客音质评分分布模型训练有问题：KL 损失从第一轮起就是负数（训练 -1.23 到 -1.49，"
                     "验证 -1.49），第5轮以后几乎不动。更奇怪的是损失在降，验证集平均分 MAE "
                     "却从 0.267 涨到 0.356，预测出来的分布都挤在一个星级上。")


if __name__ == "__main__":
    main()
