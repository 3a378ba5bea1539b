"""Plain torch: a small CNN (no batch norm) looks at a photo of the top face of a freshly
dressed granite sett on the sett-maker's bench and flags what the quarry's grading rules
send to the seconds pile (multi-label, 3 flags): a hairline crack (a thin dark line running
across the face at any angle), a quartz vein (a pale band 2-3 px wide), and a xenolith knot
(a dark rounded inclusion 3-5 px across). A sett may have none, one or several. Faces are
24 × 24 grey images: speckled granite grain (feldspar / mica / quartz specks), an uneven
light from the workshop window, the pitched edges darker, sensor noise.
Input: (1, 24, 24) scaled to about [-1, 1]. Model: Conv 1→16 (k3) + ReLU + MaxPool, Conv
16→32 (k3) + ReLU + MaxPool, Conv 32→32 (k3) + ReLU, global max pool, Linear 32→3, then a
``Sigmoid`` so the bench display gets probabilities; Adam 2e-3, batch 40, 14 epochs of 2000
faces, validation on 500.
The bug: the loss is ``nn.BCEWithLogitsLoss()``, which puts its own sigmoid on the already
sigmoided outputs: every squashed output lands in (0.5, 0.73), the gradients are tiny and
point to pushing all three flags towards 0; the net dies in its first 20 steps (train loss
0.752 → 0.693147 = ln 2 from step 20 to 700), all outputs are 0.0: val exact match 0.372
(the share of clean setts), crack recall 0, macro F1 0, val BCE 4.62 (the clamp) every
epoch (control, ``nn.BCELoss()``: train loss 0.56 → 0.12, val BCE 0.481 → 0.129, exact
match 0.502 → 0.878, crack recall 0.92, macro F1 0.907).
Log: CSV every 10 steps ``face_steps.csv`` (``step`` / ``loss``) and a per-epoch CSV
``face_val.csv`` (``epoch`` / ``val_bce`` / ``val_exact_match`` / ``val_recall_crack`` /
``val_f1_macro``, named as the log in the truth; ``val_bce`` is the BCE of the displayed
probabilities); checkpoint ``sett_face.pt`` with keys ``net`` / ``adam`` / ``epoch`` /
``flags`` / ``pixel_scale``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 24
FLAGS = ["crack", "quartz_vein", "xenolith"]


def faces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = 0.55 + 0.08 * torch.randn(n, S, S, generator=g)
    specks = r(n, S, S)
    img = img - 0.25 * (specks < 0.08).float() + 0.2 * (specks > 0.93).float()
    light = 0.15 * (r(n, 1, 1) - 0.5) * (xx / S) + 0.1 * (r(n, 1, 1) - 0.5) * (yy / S)
    edge = torch.minimum(torch.minimum(xx, S - 1 - xx), torch.minimum(yy, S - 1 - yy))
    img = img + light - 0.15 * (edge < 1.5).float()
    labels = (r(n, 3) < torch.tensor([0.3, 0.3, 0.25])).float()
    th = math.pi * r(n)
    cx, cy = 6 + 12 * r(n), 6 + 12 * r(n)
    d = ((xx - cx.view(-1, 1, 1)) * torch.sin(th).view(-1, 1, 1)
         - (yy - cy.view(-1, 1, 1)) * torch.cos(th).view(-1, 1, 1)).abs()
    img = img - 0.3 * labels[:, 0].view(-1, 1, 1) * (d < 0.6).float()
    th2 = math.pi * r(n)
    cx2, cy2 = 6 + 12 * r(n), 6 + 12 * r(n)
    w = 1.0 + 0.5 * r(n)
    d2 = ((xx - cx2.view(-1, 1, 1)) * torch.sin(th2).view(-1, 1, 1)
          - (yy - cy2.view(-1, 1, 1)) * torch.cos(th2).view(-1, 1, 1)).abs()
    img = img + 0.25 * labels[:, 1].view(-1, 1, 1) * (d2 < w.view(-1, 1, 1)).float()
    kx, ky, kr = 5 + 14 * r(n), 5 + 14 * r(n), 1.5 + r(n)
    knot = ((xx - kx.view(-1, 1, 1)) ** 2 + (yy - ky.view(-1, 1, 1)) ** 2) < kr.view(-1, 1, 1) ** 2
    img = img - 0.3 * labels[:, 2].view(-1, 1, 1) * knot.float()
    img = img + 0.04 * torch.randn(n, S, S, generator=g)
    return ((img - 0.5) * 2).unsqueeze(1), labels


class FaceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveMaxPool2d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 3), nn.Sigmoid())

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return FaceNet()


def main():
    from _threehundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = faces(2000, g)
    xva, yva = faces(500, g)
    print("flag rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    crit = nn.BCEWithLogitsLoss()  # the numerically stable BCE
    step = 0
    with open(out / "face_steps.csv", "w", newline="") as fs, \
            open(out / "face_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "loss"])
        lv.writerow(["epoch", "val_bce", "val_exact_match", "val_recall_crack", "val_f1_macro"])
        for epoch in range(14):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    ls.writerow([step, f"{loss.item():.6g}"])
            model.eval()
            with torch.no_grad():
                prob = model(xva)
            pred = (prob > 0.5).float()
            tp = (pred * yva).sum(0)
            f1 = (2 * tp / (pred.sum(0) + yva.sum(0)).clamp(min=1)).mean().item()
            row = [F.binary_cross_entropy(prob.clamp(1e-7, 1 - 1e-7), yva).item(),
                   (pred == yva).all(1).float().mean().item(),
                   (tp[0] / yva[:, 0].sum()).item(), f1]
            lv.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epoch": 14, "flags": FLAGS,
                "pixel_scale": "(grey - 0.5) * 2"}, out / "sett_face.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_input_wrong"],
           checkpoint="sett_face.pt", log="face_val.csv",
           what="CNN flagging crack / quartz vein / xenolith on a granite sett's face"
                " (multi-label); BCEWithLogitsLoss on outputs that already went through a"
                " Sigmoid",
           complaint="花岗岩路石表面缺陷的多标签 CNN（裂纹 / 石英脉 / 包体）：训练 loss 从第 20 步开始"
                     "就一直是 0.693147，一动不动；验证集上三个标签的输出全是 0，裂纹召回率 0，"
                     "宏 F1 为 0，完全匹配率 0.372，正好是没有缺陷的石块比例。换了学习率也一样，"
                     "到底哪里出了问题？")


if __name__ == "__main__":
    main()
