"""Parcel-hub barcode scanning: before a failed read goes to manual keying, a 1-D CNN tags the
scanline (160 samples across the label) with the defects that explain it, multi-label: *low
contrast* (faded thermal print), *smudge* (a dark smear over part of the bars), *no quiet zone*
(the bars start at the label edge) and *glare* (a saturated specular patch from the shrink
wrap); each defect present with probability 0.3, independently. Synthetic scanlines: Code-128
-like runs of bars and spaces 1–4 px wide, blurred by the optics (3-tap), a quiet zone of 14–20
px either side unless missing, reflectance 0.1 / 0.9, scanner gain 0.8–1.2, noise 0.03. Conv1d
1→16→32 (k 7, 5, stride 2, ReLU), global max + mean pooling, a linear head with 4 logits,
``torch.sigmoid`` and a hand-written binary cross-entropy. Adam 3e-3, batch 64, 12 epochs of 2048
scanlines; a CSV log every 16 steps (``step,bce,val_bce,val_f1`` — the val columns at epoch
ends only).
Bug: the loss is written out by hand, ``-(y * torch.log(p) + (1 - y) * torch.log(1 - p))``, on
``p = torch.sigmoid(logits)``, with no eps and no clamp (and not ``BCEWithLogitsLoss``). The
defects are easy, the logits keep growing, and once one logit passes ~17 the float32 sigmoid is
exactly 1.0: log(1 - p) = -inf, times (1 - y) = 0 gives NaN, and Adam's step turns every
weight NaN. Train BCE 0.58 → 0.43 → 0.22 → 0.11 → 0.089 (step 112), then NaN from step 128
on, val BCE NaN and val F1 0.00 for epochs 4–12; all 6 weight tensors NaN in the checkpoint.
The control (``+ 1e-7`` inside both logs, the same line) trains on: val BCE 0.017 and val F1
0.993 after 12 epochs."""
import csv

import torch
import torch.nn as nn

L = 160
DEFECTS = ["low_contrast", "smudge", "no_quiet_zone", "glare"]


def scanlines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 4) < 0.3).float()
    x = torch.full((n, L), 0.9)
    pos = torch.arange(L).float()
    for i in range(n):
        q = 0 if y[i, 2] else int(torch.randint(14, 21, (1,), generator=g))
        p, dark = q, True
        while p < L - q:
            w = int(torch.randint(1, 5, (1,), generator=g))
            if dark:
                x[i, p:min(p + w, L - q)] = 0.1
            p, dark = p + w, not dark
    x = torch.nn.functional.avg_pool1d(x[:, None], 3, 1, 1, count_include_pad=False)[:, 0]
    low = y[:, :1] > 0
    x = torch.where(low, 0.5 + (x - 0.5) * 0.3, x)
    c, w = 20 + 120 * r(n, 1), 8 + 16 * r(n, 1)
    smear = 0.5 * torch.exp(-((pos - c) / w) ** 2)
    x = torch.where(y[:, 1:2] > 0, x - smear, x)
    c2 = 20 + 120 * r(n, 1)
    glare = ((pos - c2).abs() < 6).float()
    x = torch.where((y[:, 3:4] > 0) & (glare > 0), torch.ones_like(x) * 1.3, x)
    x = x * (0.8 + 0.4 * r(n, 1)) + 0.03 * torch.randn(n, L, generator=g)
    return ((x - 0.5) / 0.35)[:, None], y


class DefectCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 7, 2, 3), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, 2, 2), nn.ReLU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(-1), h.mean(-1)], 1))


def build():
    torch.manual_seed(0)
    return DefectCNN()


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def f1(p, y):
    pred = (p > 0.5).float()
    tp = (pred * y).sum()
    return (2 * tp / (pred.sum() + y.sum()).clamp(min=1)).item()


def main():
    from _hundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scanlines(2048, g)
    xva, yva = scanlines(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "scan_defects.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "bce", "val_bce", "val_f1"])
        for epoch in range(12):
            model.train()
            perm = torch.randperm(2048, generator=g)
            for i in range(0, 2048, 64):
                idx = perm[i:i + 64]
                p = torch.sigmoid(model(xtr[idx]))
                loss = bce(p, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 16 == 0 and i + 64 < 2048:
                    w.writerow([step, f"{loss.item():.5f}", "", ""])
            model.eval()
            with torch.no_grad():
                pv = torch.sigmoid(model(xva))
            row = [step, f"{loss.item():.5f}", f"{bce(pv, yva).item():.5f}", f"{f1(pv, yva):.4f}"]
            w.writerow(row)
            print(epoch, row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "defects": DEFECTS}, out / "scan_defect_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="scan_defect_cnn.pt", log="scan_defects.csv",
           what="scanline defect tagger, hand-written BCE on sigmoid, log(1 - p) with no eps",
           complaint="条码扫描缺陷多标签分类模型训练到第4个epoch（第128步左右）loss突然变成nan，"
                     "之前bce从0.58一路降到0.089，很正常。之后val_bce也是nan，val_f1直接变成0，"
                     "一直到第12个epoch都没恢复，保存的权重全是nan。"
                     "学习率只有3e-3，不知道哪里出的问题。")


if __name__ == "__main__":
    main()
