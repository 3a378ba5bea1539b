"""Plain torch: a small CNN with batch norm sorts 24x24 crops of an all-sky camera frame for an
aurora watching alert group, so the group's bot only pings members when there is something worth
driving out for: 0 = quiet sky (airglow gradient, stars, sensor noise), 1 = arc (a smooth band
across the crop at a random tilt), 2 = patchy / pulsating (a few soft blobs), 3 = corona (rays
converging on a point near the crop centre, as seen overhead at the zenith). Brightness of
every form varies 3x; stars and noise on top of everything.
Conv 1→16 (3x3)-BN-ReLU-maxpool, conv 16→32-BN-ReLU-maxpool, conv 32→32-BN-ReLU, global average
pool, linear 32→4; cross-entropy, SGD momentum 0.9 lr 0.02, batch 32, 8 epochs, 1600 crops,
validation on 400.
The bug: ``opt.zero_grad()`` sits once at the top of each epoch ("fresh gradients for the
epoch") instead of in the batch loop, so every step adds the new gradient onto all of the
epoch's earlier ones and the momentum rides on a growing sum.
Result: train CE 3.97 in epoch 1 (above the 1.39 of a guess), 6.94, 25.5, 30.8, 45.2,
57.6 in epoch 6, 14.8 at the end; val CE 189 → 8786 at epoch 3 → 27.7; val accuracy jumps
between 0.25 and 0.49 and ends at 0.25 (one class for every crop).
Control (``opt.zero_grad()`` before each ``loss.backward()``): train CE 0.766 → 0.069, val CE
0.919 → 0.195 (1.19 / 1.44 at
epochs 4-5, batch-norm statistics still moving), val accuracy 0.66 → 0.92.
Log: TSV per epoch ``allsky_fit.tsv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc``) and
a TSV every 10 steps ``allsky_steps.tsv`` (``step`` / ``ce``); checkpoint ``allsky_cnn.pt`` with
keys ``cnn_weights`` / ``sgd`` / ``epoch`` / ``classes``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 24
CLASSES = ["quiet", "arc", "patchy", "corona"]


def crops(n, g):
    kind = torch.arange(n) % 4
    kind = kind[torch.randperm(n, generator=g)]
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = torch.zeros(n, S, S)
    for i in range(n):
        k = kind[i].item()
        u = torch.rand(6, generator=g)
        amp = 0.5 + 1.0 * u[0].item()
        sky = 0.2 * (yy / S) * u[1].item()
        if k == 1:
            th = math.pi * u[2].item()
            d = (xx - 12) * math.sin(th) - (yy - 12) * math.cos(th) - 8 * (u[3].item() - 0.5)
            sky = sky + amp * torch.exp(-(d / (1.5 + 2 * u[4].item())) ** 2)
        elif k == 2:
            for _ in range(2 + int(3 * u[2].item())):
                c = torch.rand(2, generator=g) * S
                r = 2 + 2 * torch.rand(1, generator=g).item()
                sky = sky + 0.8 * amp * torch.exp(-((xx - c[0]) ** 2 + (yy - c[1]) ** 2) / r**2)
        elif k == 3:
            cx, cy = 9 + 6 * u[2].item(), 9 + 6 * u[3].item()
            ang = torch.atan2(yy - cy, xx - cx)
            nr = 5 + int(4 * u[4].item())
            sky = sky + amp * (0.5 + 0.5 * torch.cos(nr * ang + 6 * u[5].item())) ** 3 \
                * (1 - torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 6))
        stars = (torch.rand(S, S, generator=g) < 0.01).float() * 0.8
        img[i] = sky + stars + 0.15 * torch.randn(S, S, generator=g)
    return img.unsqueeze(1), kind


class AllSkyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return AllSkyCNN()


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(1600, g)
    xva, yva = crops(400, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    step = 0
    with open(out / "allsky_fit.tsv", "w") as fe, open(out / "allsky_steps.tsv", "w") as fs:
        fe.write("epoch\ttrain_ce\tval_ce\tval_acc\n")
        fs.write("step\tce\n")
        for epoch in range(1, 9):
            model.train()
            tot, nb = 0.0, 0
            opt.zero_grad()  # fresh gradients for the epoch
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                loss.backward()
                opt.step()
                step += 1
                tot, nb = tot + loss.item(), nb + 1
                if step % 10 == 0:
                    fs.write(f"{step}\t{loss.item():.5f}\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vce = F.cross_entropy(lv, yva).item()
                acc = (lv.argmax(1) == yva).float().mean().item()
            fe.write(f"{epoch}\t{tot / nb:.5f}\t{vce:.5f}\t{acc:.4f}\n")
            print(epoch, round(tot / nb, 4), round(vce, 4), round(acc, 4))
    torch.save({"cnn_weights": model.state_dict(), "sgd": opt.state_dict(), "epoch": 8,
                "classes": CLASSES}, out / "allsky_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="allsky_cnn.pt", log="allsky_fit.tsv",
           what="CNN with batch norm sorting all-sky camera crops for an aurora watching alert;"
                " zero_grad once per epoch instead of every step",
           complaint=('我们给极光观测群做了个小CNN，用全天相机的截图判断有没有极光、是弧'
                       '状、斑块还是冕状。训练损失第一轮就比瞎猜还高，后面越训越大，一度到五'
                       '十多，验证损失有时上千，准确率一直在25%到49%之间乱跳，最后每张'
                       '图都判成同一类。数据我检查过，标签没错，换个随机种子也一样。这是哪里'
                       '出了问题？'))


if __name__ == "__main__":
    main()
