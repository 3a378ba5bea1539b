"""Arc-weld seam inspection from the welding power source's current and voltage (GMAW, short
arc): synthetic 50-ms segments at 5 kHz (256 samples × 2 channels, standardised with the
nominal set-point) of short-circuit transfer cycles at 60–90 Hz; defective segments
(porosity from lost shielding gas, 40 %) show irregular cycle lengths, arc-voltage spikes and
current drops. A 1-D CNN (2 → 16 → 32 → 32, kernel 7, max pooling, global max), one logit;
the author wrote the binary cross-entropy out by hand from the sigmoid probability, Adam 3e-4,
batch 32, 14 epochs of 1536 segments; a CSV log per epoch with the columns ``Epoch``,
``Train BCE``, ``Val BCE``, ``Val Acc``, ``Val Defect Recall``.
Bug: ``p = torch.sigmoid(logit)``; ``loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p))``
with no epsilon or clamp: once the net is confident, float32 rounds a sigmoid of a logit above
~17 to exactly 1.0, ``torch.log(1 - p)`` is −inf and ``(1 - y) · −inf`` is NaN for a defective
segment (0 · −inf); the NaN gradient reaches every weight. The run learns for three epochs
(val BCE 0.625 → 0.309 → 0.174, val accuracy 0.90 → 0.92 → 0.948, defect recall 0.87) and
from epoch 4 on the train and val BCE are NaN, every weight is NaN and the net answers "OK"
for every segment (val accuracy 0.612 = the OK share, defect recall 0). The control
(``torch.log(p + 1e-7)`` and ``torch.log(1 - p + 1e-7)``) goes on to val BCE 0.109, val
accuracy 0.969, defect recall 0.94 after 14 epochs."""
import csv
import math

import torch
import torch.nn as nn

T = 256


def segments(n, g):
    y = (torch.rand(n, generator=g) < 0.4).float()
    t = torch.arange(T).float() / 5000
    f = 60 + 30 * torch.rand(n, 1, generator=g)
    jitter = torch.where(y[:, None] > 0, 0.25, 0.03) * torch.randn(n, T, generator=g)
    phase = (f * t[None] + torch.cumsum(jitter, 1) / 50 + torch.rand(n, 1, generator=g)) % 1.0
    short = (phase < 0.25).float()                       # short-circuit part of the cycle
    cur = 1.0 + 1.2 * short * phase * 4 - 0.4 * y[:, None] * (torch.rand(n, 1, generator=g))
    volt = 1.0 - 0.8 * short + 0.3 * torch.randn(n, T, generator=g)
    spikes = (torch.rand(n, T, generator=g) < 0.01 * y[:, None]).float()
    volt = volt + 0.6 * spikes
    x = torch.stack([cur + 0.1 * torch.randn(n, T, generator=g), volt], 1)
    return (x - 1.0) / 0.6, y


class SeamCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 7, padding=3), nn.ReLU())
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        return self.fc(self.conv(x).amax(-1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return SeamCNN()


def bce(logit, y):
    p = torch.sigmoid(logit)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def main():
    from _hundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = segments(1920, g)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    f = open(out / "weld_training_log.csv", "w", newline="")
    wr = csv.writer(f)
    wr.writerow(["Epoch", "Train BCE", "Val BCE", "Val Acc", "Val Defect Recall"])
    for epoch in range(1, 15):
        model.train()
        tot = 0.0
        for idx in torch.randperm(1536, generator=g).split(32):
            loss = bce(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() / 48
        model.eval()
        with torch.no_grad():
            z = model(xva)
            vl = bce(z, yva).item()
            pred = (z > 0).float()
            acc = (pred == yva).float().mean().item()
            rec = pred[yva == 1].mean().item()
        row = [epoch, f"{tot:.5f}", f"{vl:.5f}", f"{acc:.4f}", f"{rec:.4f}"]
        wr.writerow(row)
        print(row, math.isnan(tot))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 14, "fs_hz": 5000}, out / "seam_cnn_last.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="seam_cnn_last.pth", log="weld_training_log.csv",
           what="1-D CNN weld-seam defect detector, hand-written BCE log(p) / log(1 - p) "
                "without epsilon",
           complaint="焊缝缺陷检测模型前三个 epoch 还挺好（验证准确率到了 0.948，"
                     "Val BCE 0.174），从第 4 个 epoch 开始训练和验证的 BCE 全都变成 nan，"
                     "之后一直是 nan，验证准确率掉到 0.612，缺陷召回率变成 0，所有焊缝都判成合格。")


if __name__ == "__main__":
    main()
