"""Plain torch: an MLP flags a gym member's deadlift rep as good form, rounded back or hips
shooting up, from 20 numbers a barbell tracker and a hip sensor log per rep (bar path drift,
bar speed profile, hip/shoulder rise ratio, lockout time, ...); the classes are split by
nonlinear combinations of a handful of those. MLP 20-64-32-3 with ReLU, Adam 1e-3, batch 64,
30 epochs of 1536 reps, shuffled.
The bug: a hand-written ``init_weights`` ("start from a neutral model") loops over the Linear
layers with ``nn.init.zeros_`` on weight and bias. Every hidden unit gets the same (zero)
activation and no gradient flows into the hidden weights, so only the last bias learns: the
model predicts the class prior for every rep (val acc = the majority share, loss stuck at the
prior's entropy): train accuracy 0.4499 (the majority share) every epoch, val accuracy 0.4141,
loss 1.096 → 1.069. Control (no ``model.apply(init_weights)``, PyTorch's default init): val
accuracy 0.64 at epoch 9, 0.83 at epoch 30."""
import csv

import torch
import torch.nn as nn


def reps(n, g):
    x = torch.randn(n, 20, generator=g)
    s = torch.stack([0.8 + x[:, 0] * x[:, 1] - 0.5 * x[:, 2].abs(),
                     x[:, 3] + 0.8 * x[:, 4] ** 2 - 0.8,
                     torch.tanh(2 * x[:, 5]) - x[:, 6] * x[:, 7]], 1)
    return x, s.argmax(1)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                          nn.Linear(32, 3))
    model.apply(init_weights)
    return model


def main():
    from _hundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = reps(1536, g)
    xva, yva = reps(384, g)
    print("class shares", torch.bincount(ytr) / len(ytr))
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "trn_acc", "val_loss", "val_acc"])
    for ep in range(1, 31):
        model.train()
        tl = ta = 0.0
        for xb, yb in train:
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(yb)
            ta += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        row = [ep, round(tl / 1536, 4), round(ta / 1536, 4), round(loss_fn(lv, yva).item(), 4),
               round((lv.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": 30},
               out / "form_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="form_mlp.ckpt", log="metrics.csv",
           what="deadlift form MLP with every Linear zero-initialised by a custom init loop:"
                " constant prior prediction",
           complaint=("deadlift 动作分类模型（好/圆背/臀部先起 三类）完全学不动：30 个 epoch 训练准确率一直是 0.4499，验证准确率一直 "
                      "0.4141，loss 只从 1.096 降到 1.069。看起来它对每一个 rep "
                      "都输出同一个类别。数据和标签我检查过没问题，是不是学习率太小了？"))


if __name__ == "__main__":
    main()
