"""Plain torch: an MLP predicts the score band a carnival float (alegoria) will get from the
Sambódromo judges (below 9.7, 9.7–9.8, 9.8–9.9, 10) from 16 numbers the barracão crew tracks
(height, number of moving parts, sculpture finish, lighting coverage, LED failures in rehearsal,
destaque count, theme coherence, ...). The band comes from interactions (finish × lighting,
moving parts against failures, a coherence threshold), so it needs a real hidden layer.
MLP 16-h-h-4 with ReLU, Adam 3e-3, batch 64, 40 epochs of 2560 floats, shuffled.
The bug: ``build(hidden=4)``, a four-unit bottleneck left from a smoke test, so the model cannot
represent the bands: train accuracy 0.21 → 0.59 at epoch 30, val 0.57, train loss 0.94, val
loss 1.01 (train and val alike, no gap). Control (``hidden=64``): train accuracy 0.96, val
0.77 at epoch 10, 0.78 at 20, 0.77 at 30, val loss 0.49–0.55."""
import csv

import torch
import torch.nn as nn


def floats(n, g):
    x = torch.randn(n, 16, generator=g)
    s = 1.2 * x[:, 0] * x[:, 1] - 0.8 * (x[:, 4] ** 2 - 1) + torch.relu(x[:, 5]) * torch.sign(x[:, 6])
    band = torch.bucketize(s, torch.tensor([-0.9, 0.0, 0.9]))
    return x, band


def build(hidden=4):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, 4))


def main():
    from _twohundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = floats(2560, g)
    xva, yva = floats(384, g)
    print("band shares", torch.bincount(ytr) / len(ytr))
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
        for epoch in range(1, 31):
            model.train()
            tl = ta = 0.0
            for xb, yb in train:
                logits = model(xb)
                loss = nn.functional.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(yb)
                ta += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, round(tl / 2560, 4), round(ta / 2560, 4),
                   round(nn.functional.cross_entropy(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30},
               out / "alegoria_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="alegoria_mlp.pth", log="history.csv",
           what="carnival float score-band MLP with a 4-unit hidden width: too small to fit",
           complaint=("花车评分档位（四档）的分类模型训练了 30 个 epoch，训练准确率只有 0.59，验证 0.57，"
                      "训练 loss 停在 0.94 左右就下不去了。特征都做过标准化，训练集和验证集几乎一样差，"
                      "也没有过拟合。是不是这些特征本身就预测不了评委的分数？"))


if __name__ == "__main__":
    main()
