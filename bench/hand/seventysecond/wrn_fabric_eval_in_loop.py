"""A Wide ResNet (WRN-10-2 style, Zagoruyko & Komodakis: pre-activation BN-ReLU-conv blocks,
dropout 0.3 between the two convs of a block, widths 24 / 32 / 48 in three groups of one block,
strides 1 / 2 / 2, BN-ReLU, global average pool, linear head) classifying 20×20 RGB fabric
swatches into 5 weave defects (clean, hole, stain, broken thread, slub). Synthetic swatches: a
woven texture (two crossing sinusoids of random period, colours and contrast) with the defect
drawn on it at a random place and size; pixel noise 0.08, inputs standardised per channel. 1000
training swatches, 400 validation. SGD lr 0.1, momentum 0.9, weight decay 5e-4, Nesterov (the
WRN recipe), batch 50, 6 epochs, lr ×0.2 at epochs 3 and 5; a CSV log per epoch with the train
loss, the train accuracy, the val loss and the val accuracy.
Bug: ``model.train()`` is called once before the epoch loop, and ``evaluate(model, ...)``, called
at the end of every epoch, ends with the model in ``eval()``: from the second epoch on every
training step runs with dropout off and with batch norm normalising by running statistics
frozen at the end of the first epoch, so nothing rescales the activations as the weights
move: at the WRN recipe's lr 0.1 the loss is NaN within the second epoch and the net predicts one
class (val accuracy 0.20 = chance) for the rest of the run. The control (``model.train()`` at the
top of every epoch) reaches val accuracy 0.80, val loss 0.28."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, CLASSES = 20, 5


def swatches(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, CLASSES, (n,), generator=g)
    p1, p2 = 3 + 3 * torch.rand(n, 1, 1, generator=g), 3 + 3 * torch.rand(n, 1, 1, generator=g)
    weave = torch.sin(6.28 * xx / p1) * torch.sin(6.28 * yy / p2)
    c1, c2 = torch.rand(n, 3, 1, 1, generator=g), torch.rand(n, 3, 1, 1, generator=g)
    img = c1 + (c2 - c1) * (weave[:, None] + 1) / 2
    cy, cx = (torch.randint(5, S - 5, (n,), generator=g) for _ in range(2))
    r = 2 + 2 * torch.rand(n, generator=g)
    for i in range(n):
        d2 = (yy - cy[i]) ** 2 + (xx - cx[i]) ** 2
        if y[i] == 1:  # hole: dark disc
            img[i] *= 1 - (d2 < r[i] ** 2).float() * 0.9
        elif y[i] == 2:  # stain: soft brown blob
            img[i] += torch.tensor([0.3, 0.15, -0.1])[:, None, None] * torch.exp(-d2 / (2 * r[i] ** 2))  # noqa: E501
        elif y[i] == 3:  # broken thread: a bright vertical line
            img[i, :, :, int(cx[i])] = 1.0
        elif y[i] == 4:  # slub: a thick short horizontal bar
            img[i, :, int(cy[i]) - 1:int(cy[i]) + 1, int(cx[i]) - 4:int(cx[i]) + 4] += 0.35
    img = img + 0.08 * torch.randn(n, 3, S, S, generator=g)
    return img, y


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1, self.bn2 = nn.BatchNorm2d(cin), nn.BatchNorm2d(cout)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.drop = nn.Dropout(0.3)
        self.short = nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        h = self.conv2(self.drop(F.relu(self.bn2(self.conv1(o)))))
        return h + self.short(o)


class WideResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.groups = nn.Sequential(Block(16, 24, 1), Block(24, 32, 2), Block(32, 48, 2))
        self.bn = nn.BatchNorm2d(48)
        self.fc = nn.Linear(48, CLASSES)

    def forward(self, x):
        h = F.relu(self.bn(self.groups(self.stem(x))))
        return self.fc(h.mean((2, 3)))


def build():
    torch.manual_seed(0)
    return WideResNet()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    from _seventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = swatches(1400, g)
    mean, std = x[:1000].mean((0, 2, 3), keepdim=True), x[:1000].std((0, 2, 3), keepdim=True)
    x = (x - mean) / std
    xtr, ytr, xva, yva = x[:1000], y[:1000], x[1000:], y[1000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4,
                          nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, [3, 5], 0.2)
    f = open(out / "wrn_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    model.train()
    for epoch in range(6):
        tot, hit = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(50):
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        sched.step()
        vloss, vacc = evaluate(model, xva, yva)
        row = [epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4), round(vloss, 4),
               round(vacc, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "epoch": epoch + 1},
               out / "wrn_fabric.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="wrn_fabric.pt", log="wrn_history.csv",
           what="Wide ResNet whose evaluate() leaves the model in eval mode for all later epochs",
           complaint="第一个 epoch 还正常，验证准确率到了 0.5 左右，可是从第二个 epoch 开始 loss 就"
                     "变成 nan 了，之后准确率一直是 0.2，跟瞎猜一样。学习率是照着 WRN 论文设的 0.1，"  # noqa: E501
                     "数据也做了标准化。")


if __name__ == "__main__":
    main()
