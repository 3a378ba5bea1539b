"""Plain torch: a small CNN names the motif of a batik cloth from a 16×16 grey scan of the wax
resist (after the first dye bath, waxed areas stay pale): parang (diagonal bands), kawung
(a grid of four-petal ovals), ceplok (a grid of crosses/squares) or truntum (scattered small
stars on a dark ground). Motif scale, phase and contrast vary, plus crackle (thin dark
veins where the wax cracked) and scanner noise. Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool,
Linear(512→64)-ReLU-Linear(64→4), no BatchNorm; SGD momentum 0.9, lr 0.02, micro-batches of
16 with gradients accumulated over 8 (an update every 128 scans), 10 epochs of 2048 scans.
Checkpoint ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch`` / ``updates``; log
``batik_log.tsv`` (per epoch: mean micro-batch loss, train accuracy, val loss, val accuracy).
The bug: every micro-batch's ``loss.backward()`` adds its whole gradient (the loss is never
divided by ``ACCUM``), so each update steps with the sum of 8 gradients, an effective lr of
0.16 with momentum 0.9: the run lurches: val accuracy 0.756 after epoch 1, 0.545
after a loss spike in epoch 2, 0.76–0.83 through epochs 4–9, then in epoch 10 the val loss
jumps to 82.5 and val accuracy drops to 0.488.
Control (``(loss / ACCUM).backward()``): val accuracy 0.883 after epoch 1, 0.988 after 2,
0.98–0.994 from then on (0.981 at epoch 10, val loss 0.064)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM = 8


def scans(n, g):
    yy, xx = torch.meshgrid(torch.arange(16).float(), torch.arange(16).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, 16, 16)
    for i in range(n):
        p = 3.5 + 2.5 * float(torch.rand(1, generator=g))
        ph = p * float(torch.rand(1, generator=g))
        ph2 = p * float(torch.rand(1, generator=g))
        c = int(y[i])
        if c == 0:
            a = torch.cos(2 * torch.pi * (xx + yy + ph) / (1.4 * p))
        elif c == 1:
            u = torch.cos(2 * torch.pi * (xx + ph) / p)
            v = torch.cos(2 * torch.pi * (yy + ph2) / p)
            a = (u * v).abs() * 2 - 1
        elif c == 2:
            u = torch.cos(2 * torch.pi * (xx + ph) / p).abs()
            v = torch.cos(2 * torch.pi * (yy + ph2) / p).abs()
            a = torch.maximum(u, v) ** 4 * 2 - 1
        else:
            a = -torch.ones(16, 16)
            for _ in range(int(torch.randint(4, 9, (1,), generator=g))):
                cy, cx = torch.randint(1, 15, (2,), generator=g).float()
                a = torch.maximum(a, 2 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 1.2) - 1)
        contrast = 0.6 + 0.6 * float(torch.rand(1, generator=g))
        img[i, 0] = contrast * a
        if torch.rand(1, generator=g) < 0.5:  # wax crackle
            r = int(torch.randint(0, 16, (1,), generator=g))
            img[i, 0, r, :] -= 0.8
    img = img + 0.6 * torch.randn(img.shape, generator=g)
    return img, y


class MotifNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(512, 64)
        self.fc2 = nn.Linear(64, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return MotifNet()


def main():
    from _twohundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(2048, g)
    xva, yva = scans(512, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    updates = 0
    log = open(out / "batik_log.tsv", "w")
    log.write("epoch\tloss\tacc\tval_loss\tval_acc\n")
    for epoch in range(1, 11):
        model.train()
        tot = correct = 0.0
        opt.zero_grad()
        for i, (xb, yb) in enumerate(train):
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            tot += loss.item()
            correct += (logits.argmax(1) == yb).sum().item()
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                updates += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        vl = F.cross_entropy(lv, yva).item()
        va = (lv.argmax(1) == yva).float().mean().item()
        row = f"{epoch}\t{tot / len(train):.4g}\t{correct / 2048:.4f}\t{vl:.4g}\t{va:.4f}"
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "updates": updates}, out / "motif_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="motif_cnn.pt", log="batik_log.tsv",
           what="batik motif CNN, SGD with 8-step gradient accumulation whose loss is never"
                " divided by the accumulation count",
           complaint=("蜡染纹样分类（parang/kawung/ceplok/truntum 四类，类别是平衡的）的 CNN 训练非常不稳定："
                      "第 1 个 epoch 验证准确率 0.756，第 2 个 epoch 掉到 0.545，之后一直在 0.76–0.83 之间晃，"
                      "最后第 10 个 epoch val loss 突然变成 82.5，准确率只剩 0.488。学习率已经只有 0.02 了，"
                      "还要再调小吗？还是模型太小了？"))


if __name__ == "__main__":
    main()
