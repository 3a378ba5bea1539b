"""Deformable-convolution-lite classifier for synthetic 32×32 inspection images of warped
parts: a good part is a ring, a cracked part a ring with a radial gap, a bent part a ring
squashed into an ellipse and sheared; every image is warped by a random smooth displacement
field, scaled, shifted and blurred, on a noisy background. The production line's data is what
it is: 93 % good, 5 % cracked, 2 % bent, in training and in validation alike. The model: a
stride-2 conv stem (16 ch), a deformable block (a 3×3 conv predicts a 2-D offset per position,
zero-initialised; the features are resampled with ``grid_sample`` at the offset grid, then a
3×3 conv), two stride-2 convs to 32 and 64 ch, global max pooling and a linear head. Adam
2e-3, batch 64, 8 epochs; a JSON-lines log per epoch with ``train_ce``, ``val_ce``,
``val_acc`` and the per-class validation recall.
Bug: plain ``nn.CrossEntropyLoss()`` on the 93 / 5 / 2 split (no class weights, no
re-sampling): the model predicts "good" for nearly everything, the accuracy sits at the 0.93
base rate and the recall of the two defect classes stays near 0."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 3
PRIOR = (0.93, 0.05, 0.02)


def parts(n, g):
    y = torch.multinomial(torch.tensor(PRIOR), n, replacement=True, generator=g)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 32), torch.linspace(-1, 1, 32), indexing="ij")
    imgs = torch.zeros(n, 1, 32, 32)
    for i in range(n):
        s = 0.45 + 0.2 * float(torch.rand(1, generator=g))
        cx, cy = (0.3 * (torch.rand(2, generator=g) - 0.5)).tolist()
        u, v = (xx - cx) / s, (yy - cy) / s
        if y[i] == 2:
            u, v = u * 2.0 + 0.5 * v, v * 0.6
        r = (u ** 2 + v ** 2).sqrt()
        m = ((r - 0.8).abs() < 0.2).float()
        if y[i] == 1:
            a = float(torch.rand(1, generator=g)) * 2 * math.pi
            ang = torch.atan2(v, u)
            m = m * ((torch.remainder(ang - a, 2 * math.pi)) > 1.3).float()
        imgs[i, 0] = m
    disp = F.interpolate(0.12 * torch.randn(n, 2, 4, 4, generator=g), size=32, mode="bicubic")
    base = torch.stack([xx, yy], -1)[None].expand(n, -1, -1, -1)
    imgs = F.grid_sample(imgs, base + disp.permute(0, 2, 3, 1), align_corners=True)
    imgs = F.avg_pool2d(imgs, 3, 1, 1)
    imgs = imgs + 0.2 * torch.randn(imgs.shape, generator=g)
    return imgs, y


class DeformBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.offset = nn.Conv2d(ch, 2, 3, padding=1)
        nn.init.zeros_(self.offset.weight)
        nn.init.zeros_(self.offset.bias)
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        b, _, h, w = x.shape
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
        off = 0.25 * torch.tanh(self.offset(x)).permute(0, 2, 3, 1)
        grid = torch.stack([xx, yy], -1)[None] + off
        return F.relu(self.conv(F.grid_sample(x, grid, align_corners=True))) + x


class DeformNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU())
        self.deform = DeformBlock(16)
        self.down = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.head = nn.Linear(64, CLASSES)

    def forward(self, x):
        return self.head(self.down(self.deform(self.stem(x))).amax((2, 3)))


def build():
    torch.manual_seed(0)
    return DeformNet()


def main():
    from _sixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = parts(1500, g)
    xtr, ytr, xva, yva = x[:1100], y[:1100], x[1100:], y[1100:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    crit = nn.CrossEntropyLoss()
    log = open(out / "deform_log.jsonl", "w")
    for epoch in range(8):
        model.train()
        tot, cnt = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, cnt = tot + loss.item() * len(idx), cnt + len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            pred = logits.argmax(1)
            rec = {"epoch": epoch, "train_ce": round(tot / cnt, 4),
                   "val_ce": round(F.cross_entropy(logits, yva).item(), 4),
                   "val_acc": round((pred == yva).float().mean().item(), 4)}
            for c, name in enumerate(("good", "cracked", "bent")):
                rec[f"val_recall_{name}"] = round((pred[yva == c] == c).float().mean().item(), 4)
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epochs_done": 8,
                "class_names": ["good", "cracked", "bent"]}, out / "deformnet.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["class_imbalance"],
           checkpoint="deformnet.ckpt", log="deform_log.jsonl",
           what="deformable-conv-lite part inspection, 93/5/2 classes, unweighted CE",
           complaint="验证集准确率一直在 93% 左右，看着不错，但是产线上的裂纹件和弯曲件几乎一个都没"
                     "检出来，召回率接近 0。")


if __name__ == "__main__":
    main()
