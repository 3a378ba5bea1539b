"""Plain torch: an MLP names the defensive move that stopped a kabaddi raider (ankle hold,
thigh hold, chain tackle, dash, block) from 16 numbers the mat's tracking system logs per
tackle (distance to the raider at contact, number of defenders touching, approach angle,
raider speed, contact height, ...); the move comes from a few nonlinear combinations of them.
MLP 16-96-96-5 ending in ``nn.Sigmoid()`` ("keeps the outputs in 0–1"), then
``nn.CrossEntropyLoss``; Adam 1e-3, batch 64, 20 epochs of 1280 tackles.
The bug: the Sigmoid after the last Linear squashes the logits into (0, 1), so softmax can
never be confident: the loss floor is log(1 + 4/e) = 0.91 for a perfect classifier.
Bug run: epoch 1 train loss 1.593, val acc 0.3867; epoch 20 train loss 1.0911, val loss
1.1861, val acc 0.6992 (the loss cannot go below the 0.91 floor).
Control (``nn.Identity()`` in place of the Sigmoid): epoch 1 train loss 1.5519, val acc 0.457;
epoch 20 train loss 0.3363, val loss 0.6329, val acc 0.7422."""
import csv
import sys

import torch
import torch.nn as nn


def tackles(n, g):
    x = torch.randn(n, 16, generator=g)
    s = torch.stack([x[:, 0] - x[:, 1] * x[:, 2], x[:, 3] ** 2 - 1, torch.sin(2 * x[:, 4]) + x[:, 5],
                     x[:, 6] * x[:, 7] + 0.5 * x[:, 8], -x[:, 0] + 0.8 * x[:, 9]], 1)
    return x, s.argmax(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(),
                         nn.Linear(96, 5), nn.Sigmoid())


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tackles(1280, g)
    xva, yva = tackles(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "steps.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "loss", "val_loss", "val_acc"])
        for epoch in range(20):
            model.train()
            perm = torch.randperm(1280, generator=g)
            tot = 0.0
            for i in range(0, 1280, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
                w.writerow([step, epoch + 1, round(loss.item(), 4), "", ""])
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
            w.writerow([step, epoch + 1, "", round(vl, 4), round(va, 4)])
            print(epoch + 1, round(tot / 1280, 4), round(vl, 4), round(va, 4))
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "tackle_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="tackle_mlp.ckpt", log="steps.csv",
           complaint="卡巴迪防守动作分类器训练了20个epoch，验证准确率到了0.70，但是loss一直"
                     "降不下去，训练1.09、验证1.19左右，再多训练也不动。准确率在涨loss却不降，"
                     "这正常吗？",
           what="MLP classifier of kabaddi tackle moves, Sigmoid after the last Linear, then CE")


if __name__ == "__main__":
    main()
