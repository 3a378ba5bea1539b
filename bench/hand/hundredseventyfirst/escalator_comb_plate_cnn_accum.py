"""Plain torch: a small CNN (no BatchNorm) checks an escalator's comb plate from a 20×20 grey
crop of the landing inspection camera: intact comb, broken comb teeth (gaps in the tooth
row), or debris caught at the comb (a bright irregular blob on the teeth). Teeth are a row of
vertical bright stripes with random pitch, phase and brightness, step treads grooves below,
random lighting gradient and noise. Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool,
Linear(32·5·5→64)-ReLU-Linear(64→3); SGD momentum 0.9, lr 0.03, micro-batch 16 with 4
accumulation steps (effective batch 64, "because the inspection PC is small"), 15 epochs of
1536 crops; a CSV row per optimizer step, validation per epoch.
The bug: the accumulation loop does ``loss.backward()`` on the micro-batch mean without
dividing by ``ACCUM``: the summed gradient is 4× the batch-64 gradient, so the step is 4×
what lr 0.03 was tuned for: val accuracy 0.33, 0.67, 0.67, 0.91, 0.997 at epoch 5, then it
blows up at epoch 6 (val loss 0.019 → 0.76, accuracy 0.61) and never comes back: 0.60–0.72 for
the last 10 epochs, val loss 0.53 at epoch 15. Control (``(loss / ACCUM).backward()``): val
accuracy 0.84 after epoch 2, 0.997 from epoch 5 to 15, val loss 0.005."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, ACCUM = 20, 4


def crops(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        pitch = 3 + int(torch.randint(0, 2, (1,), generator=g))
        ph = int(torch.randint(0, pitch, (1,), generator=g))
        top = 5 + int(torch.randint(0, 4, (1,), generator=g))
        teeth = ((xx.long() - ph) % pitch == 0).float() * ((yy >= top) & (yy < top + 6)).float()
        if y[i] == 1:  # 2-3 broken teeth next to each other
            c = int(torch.randint(3, S - 6, (1,), generator=g))
            w = 2 + pitch * int(torch.randint(1, 3, (1,), generator=g))
            teeth[:, c:c + w] *= (yy[:, c:c + w] < top + 1).float()
        img[i, 0] = teeth * (0.7 + 0.5 * float(torch.rand(1, generator=g)))
        img[i, 0] += 0.25 * ((yy > top + 7) & (yy.long() % 2 == 0)).float()  # tread grooves
        if y[i] == 2:
            cy = top + 2 + 3 * float(torch.rand(1, generator=g))
            cx = 3 + 14 * float(torch.rand(1, generator=g))
            blob = torch.exp(-((yy - cy) ** 2 / 3 + (xx - cx) ** 2 / 5))
            img[i, 0] += 0.8 * blob * (0.6 + 0.4 * torch.rand(S, S, generator=g))
        img[i, 0] += 0.3 * float(torch.rand(1, generator=g)) * (xx + yy) / (2 * S)
    img = img + 0.12 * torch.randn(img.shape, generator=g)
    return (img - 0.25) / 0.35, y


class CombNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 5 * 5, 64)
        self.fc2 = nn.Linear(64, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return CombNet()


def main():
    from _hundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(1536, g)
    xva, yva = crops(384, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    f = open(out / "comb_steps.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["global_step", "epoch", "train_loss", "val_loss", "val_accuracy"])
    global_step = 0
    for epoch in range(15):
        model.train()
        opt.zero_grad()
        running = 0.0
        for k, (xb, yb) in enumerate(train):
            loss = criterion(model(xb), yb)
            loss.backward()
            running += loss.item() / ACCUM
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                global_step += 1
                vl = va = ""
                if (k + 1) == len(train):
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                    vl = f"{criterion(lv, yva).item():.4f}"
                    va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                    model.train()
                    print(epoch, running, vl, va)
                w.writerow([global_step, epoch, f"{running:.4f}", vl, va])
                running = 0.0
    f.close()
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "global_step": global_step, "epoch": 15}, out / "comb_cnn_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="comb_cnn_last.pt", log="comb_steps.csv",
           what="escalator comb-plate CNN, SGD with 4-step gradient accumulation and the"
                " micro-batch loss not divided by the accumulation count",
           complaint=("扶梯梳齿板检测 CNN（完好 / 断齿 / 夹异物 三类）：前 5 个 epoch 很好，第 5 个 epoch "
                      "验证准确率已经到 0.997，val loss 0.019，可是第 6 个 epoch 突然崩掉，准确率掉到 "
                      "0.61，val loss 0.76，之后 10 个 epoch 一直在 0.60-0.72 之间，最后 val loss 0.53。"
                      "SGD lr 0.03 momentum 0.9，小 batch 16 累积 4 步。是不是该加学习率衰减？"))


if __name__ == "__main__":
    main()
