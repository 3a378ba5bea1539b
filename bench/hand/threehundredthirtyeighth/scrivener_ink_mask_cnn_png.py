"""Plain torch: a small fully convolutional net without batch norm marks, pixel by pixel,
the ink on scans of a scrivener's letter-book (32 × 64 strips of laid paper, grey levels),
so the faded entries can be re-inked digitally and counted. The paper: a light ground with
the laid lines (fine horizontal ribbing every 3 px) and the chain lines (vertical, every
12-16 px, a little darker), brown foxing spots (round, soft-edged, as dark as faded ink but
blotchy), and scanner noise. The ink: up to 4 pen strokes per strip (each there with
chance 3/4), written as wavy lines of the scrivener's hand (slant, loop height and pen width
1-2.2 px vary), iron-gall ink from black to faded brown. The annotators' masks come from PNGs, 0 for paper and 255 for ink,
kept as uint8.
Input: (1, 32, 64) grey level in [0, 1]. Model: Conv 1→16 (3×3) + ReLU, Conv 16→16 (3×3,
dilation 2) + ReLU, Conv 16→16 (3×3) + ReLU, Conv 16→1 (1×1), logits per pixel; BCE with
logits, RMSprop 1e-3, batch 16, 10 epochs, 480 strips, validation on 120.
The bug: the mask goes into the loss as read from the PNG, ``mask.float()``, 0 / 255, so
the loss rewards pushing every pixel's logit up without end: train BCE -1.4e3 at step 10 →
-9.8e6 at step 300, every pixel called ink from the first epoch (val ink IoU 0.121 = the
ink share, precision 0.121, recall 1.0; val BCE against the 0/1 mask 1.3e3 → 3.2e5)
(control, ``mask.float() / 255``: val BCE 0.253 → 0.0375, IoU 0.044 → 0.899).
Logs: TSV every 10 steps ``ink_steps.tsv`` (``step`` / ``bce``) and a per-epoch TSV
``ink_val.tsv`` (``epoch`` / ``val_bce01`` / ``val_iou`` / ``val_precision`` /
``val_recall``, named as the log in the truth); checkpoint ``inkseg_last.tar`` with keys
``net`` / ``rmsprop`` / ``epoch`` / ``step`` / ``threshold``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H, W = 32, 64


def strips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing="ij")
    img = 0.85 + 0.08 * r(n, 1, 1)
    img = img - 0.03 * (torch.sin(2 * math.pi * yy / 3) > 0.5).float()
    pitch = 12 + 4 * r(n, 1, 1)
    img = img - 0.06 * (torch.remainder(xx - 16 * r(n, 1, 1), pitch) < 1.0).float()
    for _ in range(2):
        cy, cx, rad = H * r(n, 1, 1), W * r(n, 1, 1), 2 + 4 * r(n, 1, 1)
        spot = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * rad ** 2))
        img = img - (r(n, 1, 1) < 0.5).float() * 0.4 * spot * (0.7 + 0.3 * r(n, H, W))
    mask = torch.zeros(n, H, W, dtype=torch.bool)
    ink = torch.zeros(n, 1, 1)
    for _ in range(4):
        on = (r(n, 1, 1) < 0.75)
        t = torch.linspace(0, 1, 80).view(1, 80)
        x0, y0 = W * r(n, 1) - 8, 6 + 20 * r(n, 1)
        length, slant = 20 + 30 * r(n, 1), 0.2 + 0.4 * r(n, 1)
        amp, freq = 2 + 5 * r(n, 1), 2 + 4 * r(n, 1)
        wave = torch.sin(2 * math.pi * freq * t + 6.28 * r(n, 1))
        px = x0 + length * t + slant * amp * wave
        py = y0 + amp * wave
        pix = torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)
        d2 = torch.cat([torch.cdist(pix.expand(len(c), -1, -1), c).amin(2) ** 2
                        for c in torch.stack([px, py], 2).split(64)])
        width = 0.5 + 0.6 * r(n, 1)
        stroke = (d2 <= width ** 2).view(n, H, W) & on
        mask = mask | stroke
        darkness = 0.35 + 0.45 * r(n, 1, 1)
        ink = torch.maximum(ink, stroke.float() * darkness)
    img = img * (1 - ink) + 0.03 * torch.randn(n, H, W, generator=g)
    png = mask.to(torch.uint8) * 255
    return img.clamp(0, 1).unsqueeze(1), png.unsqueeze(1)


class InkNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, 16, 3, padding=2, dilation=2), nn.ReLU(),
                                 nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return InkNet()


def main():
    from _threehundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, mtr = strips(480, g)
    xva, mva = strips(120, g)
    print("ink share", (mtr > 0).float().mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, mtr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    truth_va = (mva > 0).float()
    step = 0
    with open(out / "ink_steps.tsv", "w") as slog, open(out / "ink_val.tsv", "w") as vlog:
        slog.write("step\tbce\n")
        vlog.write("epoch\tval_bce01\tval_iou\tval_precision\tval_recall\n")
        for epoch in range(10):
            model.train()
            for xb, mask in dl:
                logits = model(xb)
                loss = F.binary_cross_entropy_with_logits(logits, mask.float())  # ink vs paper per pixel
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    slog.write(f"{step}\t{loss.item():.6g}\n")
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            tp = (pred * truth_va).sum()
            row = [F.binary_cross_entropy_with_logits(logits, truth_va).item(),
                   (tp / (pred + truth_va - pred * truth_va).sum()).item(),
                   (tp / pred.sum().clamp(min=1)).item(), (tp / truth_va.sum()).item()]
            vlog.write("\t".join([str(epoch)] + [f"{v:.6g}" for v in row]) + "\n")
            print(epoch, loss.item(), row)
    torch.save({"net": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 10,
                "step": step, "threshold": 0.5}, out / "inkseg_last.tar")
    finish(out, __file__, (xva[:64], mva[:64].float()), causes=["label_out_of_range"],
           checkpoint="inkseg_last.tar", log="ink_val.tsv",
           what="fully convolutional net marking ink pixels on scans of a scrivener's"
                " letter-book; the 0/255 PNG mask goes into BCE as is",
           complaint="Ink segmentation on our letter-book scans: the BCE loss is negative from the"
                     " first steps and keeps falling, -1400 at step 10 and about -10 million by"
                     " step 300. The model marks every pixel of every strip as ink: IoU 0.12,"
                     " recall 1.0, and the validation BCE keeps growing.")


if __name__ == "__main__":
    main()
