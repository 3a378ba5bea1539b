"""Plain torch: a small CNN (no batch norm) checks the pomace cake on a cider press's rack from
a 20×20 top camera frame (grey) and sorts it into even cake, torn press cloth (a bright
diagonal streak of leaking juice) or a wet slump (a large dark blob off-centre). The frame has
the rack grid, uneven lighting and noise. Conv(1→12)-ReLU-pool, Conv(12→24)-ReLU-pool,
Linear(24·5·5→32)-ReLU-Linear(32→3); SGD lr 0.01 momentum 0.9, batch 32, 12 epochs of 960
frames, cross-entropy; a per-step CSV (``iter,epoch,loss``) plus ``val_loss,val_acc`` filled
on the last step of each epoch.
Bug: ``opt.zero_grad()`` sits above the batch loop, so it runs once per epoch and every step
adds its gradient to all the earlier ones of the epoch: the step grows through the epoch, the
per-step loss, 1.1 → 0.8 early in epoch 1, climbs to 2–10 and never comes back down; the net
ends at chance: epoch 12 last-step loss 6.09, val loss 5.54, val accuracy 0.34 (chance 0.33).
Control (``sed -i 's/^\\( *\\)loss.backward()/\\1opt.zero_grad()\\n&/'``, a zero_grad before every
backward): epoch 12 last-step loss 0.12, val loss 0.23, val accuracy 0.925."""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

H = 20


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(H).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    grid = ((yy % 5 == 0) | (xx % 5 == 0)).float() * 0.3
    light = F.interpolate(torch.rand(n, 1, 2, 2, generator=g), size=(H, H), mode="bilinear",
                          align_corners=True)[:, 0] * 0.6
    img = grid + light + 0.25 * torch.randn(n, H, H, generator=g)
    for i in range(n):
        if y[i] == 1:
            off = float(torch.randint(-6, 7, (1,), generator=g))
            sign = 1 if torch.rand(1, generator=g) < 0.5 else -1
            img[i] += 1.2 * torch.exp(-((yy - sign * xx - off) ** 2) / 1.5)
        elif y[i] == 2:
            cy, cx = torch.randint(3, H - 3, (2,), generator=g).float()
            img[i] -= 1.2 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 10)
    return ((img - 0.4) / 0.5).unsqueeze(1), y


class CakeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 12, 3, padding=1)
        self.conv2 = nn.Conv2d(12, 24, 3, padding=1)
        self.fc1 = nn.Linear(24 * 5 * 5, 32)
        self.fc2 = nn.Linear(32, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return CakeNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(960, g)
    xva, yva = frames(240, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    rows, it = [], 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(960, generator=g)
        opt.zero_grad()
        for i in range(0, 960, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            it += 1
            rows.append({"iter": it, "epoch": epoch + 1, "loss": round(loss.item(), 4),
                         "val_loss": "", "val_acc": ""})
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rows[-1]["val_loss"] = round(F.cross_entropy(lv, yva).item(), 4)
            rows[-1]["val_acc"] = round((lv.argmax(1) == yva).float().mean().item(), 4)
        print(rows[-1])
    with open(out / "steps.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "iter": it}, out / "cake_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="cake_cnn.pt", log="steps.csv",
           what="CNN (no BN) pomace-cake check on a cider press, SGD momentum, zero_grad once per"
                " epoch",
           complaint=("压榨机果渣饼检测的小 CNN（三类：正常 / 滤布破损 / 湿塌）训练不起来：第一个 epoch "
                      "loss 从 1.1 降到 0.8 左右，之后就在 2 到 10 之间乱跳，再也下不来，12 个 epoch 后"
                      "验证准确率只有 0.34，跟瞎猜差不多。三类图片肉眼一眼就能分开。"))


if __name__ == "__main__":
    main()
