"""Plain torch: a fully convolutional 1-D CNN with batch norm marks the blocked holes in a
sievewright's line-scan of a grain riddle held over a light table (one camera row of 160
pixels across the woven mesh), so the sieve can be sent for picking out before the next
harvest. A hole is bright, a wire dark (the weave pitch is 7-11 px, wire 2-3 px); a hole
plugged with chaff or a split grain reads dark to mid-grey where the pitch says light (8-18 %
of the holes); uneven lighting from the table and sensor noise.
Input: (1, 160) grey level / 255, centred. Target: a per-pixel mask of the blocked holes,
as the annotation tool exports it (8-bit, 0 or 255). Model: Conv1d 1→24 (k7) + BN + ReLU,
Conv1d 24→24 (k5, dilation 2) + BN + ReLU, Conv1d 24→24 (k5, dilation 4) + BN + ReLU,
Conv1d 24→1 (k1); per-pixel BCE with logits, Adam 2e-3, batch 16, 8 epochs, 960 scans,
validation on 240.
The bug: the mask is taken straight from the exported 8-bit image, ``float()`` of 0 / 255,
and handed to ``BCEWithLogitsLoss`` as the target; the targets sit far outside [0, 1], the
loss runs negative without bound and the net calls far too many pixels blocked: val BCE
-152 → -2825, val IoU 0.47 → 0.33, share called blocked 0.19 → 0.27 against 0.089 true
(control, the mask divided by 255: val BCE 0.128 → 0.0068, IoU 0.92 → 0.985, share 0.087).
Log: TSV per step ``riddle_steps.tsv`` (``it`` / ``bce``) and per epoch ``riddle_val.tsv``
(``epoch`` / ``val_bce`` / ``val_iou`` / ``val_blocked_share``, named as the log in the
truth); checkpoint ``riddle_seg.bin`` with keys ``params`` / ``optim`` / ``epoch`` /
``grey_offset``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

W = 160


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pitch = 7 + 4 * r(n, 1)
    wire = 2 + r(n, 1)
    shift = pitch * r(n, 1)
    u = torch.arange(W).float().unsqueeze(0) + shift
    cell = torch.floor(u / pitch)
    inside = (u - cell * pitch) >= wire  # open hole, not wire
    rate = 0.08 + 0.10 * r(n, 1)
    cells = torch.rand(n, 40, generator=g) < rate
    blocked = torch.gather(cells, 1, cell.long().clamp(max=39)) & inside
    light = 200 + 40 * torch.sin(2 * math.pi * (torch.arange(W) / W * (0.5 + r(n, 1)) + r(n, 1)))
    grey = torch.where(inside, light, 35 + 10 * r(n, 1))
    plug = 60 + 70 * torch.rand(n, 40, generator=g)
    grey = torch.where(blocked, torch.gather(plug, 1, cell.long().clamp(max=39)), grey)
    grey = (grey + 12 * torch.randn(n, W, generator=g)).clamp(0, 255)
    mask = blocked.to(torch.uint8) * 255  # annotation export, 8-bit
    return grey.unsqueeze(1) / 255 - 0.5, mask.unsqueeze(1)


class RiddleSeg(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(),
            nn.Conv1d(24, 24, 5, padding=4, dilation=2), nn.BatchNorm1d(24), nn.ReLU(),
            nn.Conv1d(24, 24, 5, padding=8, dilation=4), nn.BatchNorm1d(24), nn.ReLU(),
            nn.Conv1d(24, 1, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return RiddleSeg()


def main():
    from _threehundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, mtr = scans(960, g)
    xva, mva = scans(240, g)
    ytr, yva = mtr.float(), mva.float()  # blocked-hole masks from the annotation tool
    print("blocked pixel share", (mtr > 0).float().mean().item(), "target max", ytr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    crit = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    it = 0
    truth_va = mva > 0
    with open(out / "riddle_steps.tsv", "w") as slog, open(out / "riddle_val.tsv", "w") as vlog:
        slog.write("it\tbce\n")
        vlog.write("epoch\tval_bce\tval_iou\tval_blocked_share\n")
        for epoch in range(8):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                slog.write(f"{it}\t{loss.item():.5f}\n")
                it += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            called = logits > 0
            iou = (called & truth_va).sum().item() / max(1, (called | truth_va).sum().item())
            row = [crit(logits, yva).item(), iou, called.float().mean().item()]
            vlog.write(f"{epoch}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"params": model.state_dict(), "optim": opt.state_dict(), "epoch": 8,
                "grey_offset": 0.5}, out / "riddle_seg.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="riddle_seg.bin", log="riddle_val.tsv",
           what="fully convolutional 1-D CNN with batch norm marking blocked holes in a line scan"
                " of a sieve mesh; 0/255 masks used as BCE targets",
           complaint="筛网堵孔分割模型训练很奇怪：loss 从第一个 epoch 就是负的，从 -150 一直降到"
                     " -2800，还在往下掉，但验证集 IoU 反而从 0.47 掉到 0.33，模型标成堵住的像素"
                     " 占了 27%，实际只有 9% 左右。输入图像已经归一化过了，学习率也试过调小。")


if __name__ == "__main__":
    main()
