"""Plain torch: a small fully convolutional net (no batch norm) marks the sew holes in camera
frames of horn button blanks after the drilling station of a button works, so the checker
can flag blanks with a missing, doubled or off-centre hole. Frames are 24×24 greyscale: the
blank is a bright disc (radius 9-10.5 px, lit from one side, with the dark mottling of horn),
the holes are 2 or 4 (the order decides) on a circle of radius 2.5-3.5 px about the centre,
each 1.1-1.7 px in radius, and show the dark conveyor belt through; a hole is sometimes left
undrilled (a shallow dimple, brighter than a hole, not marked). Horn flecks are as dark as
holes but irregular and not on the hole circle. The annotators' masks come from the
labelling tool as 8-bit PNGs, 0 for blank and 255 for hole. Input: (1, 24, 24) grey in 0-1.
Model: Conv 1→16 (k3) + ReLU, Conv 16→32 (k3, dilation 2) + ReLU, Conv 32→32 (k3,
dilation 4) + ReLU, Conv 32→16 (k3) + ReLU, Conv 16→1 (k1): one hole logit per pixel;
``BCEWithLogitsLoss``, Adam 2e-3, batch 24, 10 epochs, 960 frames, validation on 240.
The bug: the mask is taken from the PNG values as they are, ``return png.float()  # hole
mask from the annotation PNGs`` in ``to_mask``, so hole pixels carry the target 255 instead of 1; the
binary cross-entropy with a target of 255 has no minimum (each hole pixel pays -254 × its
logit) and the net calls every pixel a hole: val BCE -2.6e4 → -4.9e10, val IoU 0.032 (the hole share)
and pixel accuracy 0.032 every epoch, no clean frame (control, ``return png.float() / 255``:
val BCE 0.163 → 0.0124, IoU 0 for three epochs, then 0.71 → 0.87, pixel accuracy 0.968 →
0.9956, clean frames 0.80).
Log: CSV every 10 steps ``drill_steps.csv`` (``step`` / ``bce``) and a CSV per epoch
``drill_val.csv`` (``epoch`` / ``val_bce`` / ``val_iou`` / ``val_pixel_acc`` /
``val_clean_frames``, named as the log in the truth); checkpoint ``holes_fcn.pt`` with keys
``net_state`` / ``adam_state`` / ``epochs_done`` / ``frame_size``."""
import csv
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

S = 24


def frames(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = torch.zeros(n, S, S)
    hole = torch.zeros(n, S, S, dtype=torch.bool)
    holes_ok = torch.zeros(n)
    for i in range(n):
        cx, cy = 11.5 + r(1).item() - 0.5, 11.5 + r(1).item() - 0.5
        rad = 9 + 1.5 * r(1).item()
        d = ((xx - cx) ** 2 + (yy - cy) ** 2).sqrt()
        disc = (d < rad).float()
        light = 0.75 + 0.15 * ((xx - cx) * math.cos(r(1).item() * 6.28)) / rad
        mottle = torch.nn.functional.avg_pool2d(torch.randn(1, 1, S, S, generator=g), 5, 1, 2)[0, 0]
        fleck = torch.zeros(S, S)
        for _ in range(int(3 * r(1).item())):
            fx, fy = cx + (rad - 2) * (2 * r(1).item() - 1), cy + (rad - 2) * (2 * r(1).item() - 1)
            fleck += ((xx - fx) ** 2 / (0.5 + 2 * r(1).item()) + (yy - fy) ** 2 / (0.5 + 2 * r(1).item()) < 1.5).float()
        face = disc * (light + 0.5 * mottle - 0.55 * fleck.clamp(max=1))
        k = 2 if r(1).item() < 0.5 else 4
        ring, ang0 = 2.5 + r(1).item(), r(1).item() * 6.28
        hr = 1.1 + 0.6 * r(1).item()
        drilled = 0
        for j in range(k):
            hx, hy = cx + ring * math.cos(ang0 + 6.28 * j / k), cy + ring * math.sin(ang0 + 6.28 * j / k)
            spot = ((xx - hx) ** 2 + (yy - hy) ** 2).sqrt() < hr
            if r(1).item() < 0.06:  # left undrilled: a dimple
                face = torch.where(spot, face * 0.8, face)
            else:
                face = torch.where(spot, torch.full_like(face, 0.08), face)
                hole[i] |= spot
                drilled += 1
        holes_ok[i] = float(drilled == k)
        img[i] = face + 0.04 * torch.randn(S, S, generator=g)
    png = hole.to(torch.uint8) * 255  # as the annotation tool writes its masks
    return img.unsqueeze(1).clamp(0, 1), png.unsqueeze(1), holes_ok


class HoleFCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=4, dilation=4), nn.ReLU(),
            nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 1, 1))

    def forward(self, x):
        return self.net(x)


def to_mask(png):
    return png.float()  # hole mask from the annotation PNGs


def build():
    torch.manual_seed(0)
    return HoleFCN()


def main():
    from _threehundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, png_tr, _ = frames(960, g)
    xva, png_va, _ = frames(240, g)
    mask_tr, mask_va = to_mask(png_tr), to_mask(png_va)
    print("hole share", (png_tr > 0).float().mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, mask_tr), batch_size=24, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "drill_steps.csv", "w", newline="") as fs, \
            open(out / "drill_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "bce"])
        lv.writerow(["epoch", "val_bce", "val_iou", "val_pixel_acc", "val_clean_frames"])
        for epoch in range(10):
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
                logit = model(xva)
            pred, truth = logit > 0, mask_va > 0.5
            iou = ((pred & truth).sum() / (pred | truth).sum()).item()
            # a frame is clean if the net marks no more than 2 pixels outside the drilled holes
            clean = ((pred & ~truth).flatten(1).sum(1) < 3).float().mean().item()
            row = [crit(logit, mask_va).item(), iou, (pred == truth).float().mean().item(), clean]
            lv.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"net_state": model.state_dict(), "adam_state": opt.state_dict(),
                "epochs_done": 10, "frame_size": S}, out / "holes_fcn.pt")
    finish(out, __file__, (xva[:64], mask_va[:64]), causes=["label_out_of_range"],
           checkpoint="holes_fcn.pt", log="drill_val.csv",
           what="fully convolutional net marking sew holes in button blank frames; masks"
                " kept as 0/255 PNG values as BCE targets",
           complaint="Hole-finder for our drilled button blanks: the BCE loss is negative after"
                     " the first epoch and runs away to minus tens of billions by epoch 10,"
                     " and every pixel of every validation frame comes out as hole (IoU 0.032,"
                     " pixel accuracy 0.032, the same number all ten epochs). The frames look"
                     " fine when I plot them next to their masks, and Adam at 2e-3 is not"
                     " exotic. What makes a loss like this go below zero?")


if __name__ == "__main__":
    main()
