"""Plain torch loop: a small CNN with batch norm names a ninja dojo stance from the 14×14
pressure mat under the student: kiba-dachi (two wide feet, weight even), zenkutsu-dachi (long
front-back stance, front foot pressed harder), neko-ashi (weight almost all on the back foot,
front toe barely touching) or a one-legged crane stance. Feet are pressure blobs whose
positions and weights follow the stance, with random offset, foot size and sensor noise.
Conv2d(1→16,3)+BN+ReLU, MaxPool2, Conv2d(16→32,3)+BN+ReLU, global mean pool, Linear(32→4);
AdamW 2e-3, batch 32, 12 epochs of 768 mats.
The bug: the train/val split draws a permutation and indexes the mats with it, but the
labels are cut from the un-permuted tensor (``ytr = y[:768]``), so every training mat carries
another mat's stance. The model can only memorise: the train loss creeps down slowly while
val accuracy stays at chance.
Numbers: train loss 1.40 → 1.29, train accuracy 0.26 → 0.42, val accuracy 0.14-0.36 (0.25 at
the end), val loss 1.41 → 1.53.
Control (``sed -i 's/ytr = y\\[:768\\]/ytr = y[perm[:768]]/'``): val accuracy 0.58, 0.95,
... 0.996, 0.96 at epoch 12, val loss 1.23 → 0.16, train accuracy 1.00.
Checkpoint ``{"model", "optim", "epoch"}``; log: CSV per epoch
(``epoch,loss,train_acc,val_loss,val_acc``)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 14
FEET = [[(7, 3, 1.0), (7, 10, 1.0)],      # kiba-dachi
        [(3, 6, 1.4), (11, 8, 0.8)],      # zenkutsu-dachi
        [(5, 7, 0.25), (10, 7, 1.6)],     # neko-ashi
        [(7, 7, 2.0)]]                    # crane


def mats(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = torch.zeros(n, S, S)
    for i in range(n):
        dy, dx = (2 * torch.rand(2, generator=g) - 1).tolist()
        size = 1.2 + 0.6 * float(torch.rand(1, generator=g))
        for r, c, w in FEET[int(y[i])]:
            img[i] += w * torch.exp(-((yy - r - dy) ** 2 + (xx - c - dx) ** 2) / (2 * size ** 2))
    img = img + 0.15 * torch.randn(n, S, S, generator=g)
    return img[:, None], y


class StanceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.b2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        h = F.relu(self.b2(self.c2(h)))
        return self.fc(h.mean((2, 3)))


def build():
    torch.manual_seed(0)
    return StanceNet()


def main():
    from _twohundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = mats(1024, g)
    perm = torch.randperm(1024, generator=g)
    xtr = x[perm[:768]]
    ytr = y[:768]
    xva, yva = x[perm[768:]], y[perm[768:]]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    lines = ["epoch,loss,train_acc,val_loss,val_acc"]
    for epoch in range(12):
        model.train()
        order = torch.randperm(768, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 768, 32):
            idx = order[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * 32
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = F.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        lines.append(f"{epoch + 1},{tot / 768:.4f},{hit / 768:.4f},{vl:.4f},{va:.4f}")
        print(lines[-1])
    (out / "stance_log.csv").write_text("\n".join(lines) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12},
               out / "stance_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="stance_cnn.pt", log="stance_log.csv",
           what="ninja dojo stance CNN whose training labels are cut without the split permutation",
           complaint=("我在道场的压力垫上训练一个小CNN，识别学员的站姿（骑马立、前屈立、猫足立、"
                      "单脚鹤立），四类，数据是平衡的。训练了12个epoch，训练loss只从1.40降到1.29，"
                      "训练准确率0.26到0.42，可验证准确率一直在0.14到0.36之间乱跳，最后0.25，"
                      "验证loss反而从1.41涨到1.53。四类瞎猜也就是0.25。模型太小了吗？"))


if __name__ == "__main__":
    main()
