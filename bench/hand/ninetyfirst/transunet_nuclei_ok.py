"""Nuclei segmentation with a TransUNet-lite on synthetic 32×32 "microscopy" tiles: 4–12 soft
elliptical nuclei (semi-axes 2–4.5 px, random angle, brightness 0.4–1.0, some touching) on an
uneven stained background with speckle noise; 4 % of the training masks come from a sloppy
annotator (each such tile's mask dilated by one pixel). Model: a CNN encoder (conv 8 at 32×32,
conv 16 at 16×16, conv 32 at 8×8, two 3×3 convs + BatchNorm + ReLU per level), the 8×8 map
flattened to 64 tokens with learnt position embeddings through 2 pre-norm transformer encoder
layers (width 32, 4 heads, MLP 64), reshaped back, then a cascaded upsampler with skips (bilinear
×2, concat, two convs) to a 1-channel logit map. BCE + soft dice, AdamW 2e-3 (weight decay 1e-4),
batch 32, 7 epochs of 480 tiles; a JSON lines log per epoch ``{"epoch", "bce_dice",
"val_bce_dice", "val_dice", "val_iou"}``. Healthy: val dice 0.94 (IoU 0.90) from epoch 4 on, while the
loss is still falling steadily at the end (train 0.56, val 0.53: the logits are still growing more
confident, the BCE part of the loss lags the dice), val loss at or below train loss from epoch 4
(the dilated masks and the dropout only in training)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32


def tiles(n, g, sloppy=0.0):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    img = torch.zeros(n, 1, SIZE, SIZE)
    mask = torch.zeros(n, 1, SIZE, SIZE)
    for i in range(n):
        for _ in range(int(torch.randint(4, 13, (1,), generator=g))):
            cy, cx = (2 + 28 * torch.rand(2, generator=g)).tolist()
            a, b = (2 + 2.5 * torch.rand(2, generator=g)).tolist()
            th = math.pi * float(torch.rand(1, generator=g))
            u = (xx - cx) * math.cos(th) + (yy - cy) * math.sin(th)
            v = -(xx - cx) * math.sin(th) + (yy - cy) * math.cos(th)
            r = (u / a) ** 2 + (v / b) ** 2
            amp = 0.4 + 0.6 * float(torch.rand(1, generator=g))
            img[i, 0] = torch.maximum(img[i, 0], amp * torch.sigmoid(4 * (1 - r)))
            mask[i, 0] = torch.maximum(mask[i, 0], (r < 1).float())
    bg = F.interpolate(torch.rand(n, 1, 3, 3, generator=g), size=SIZE, mode="bilinear") * 0.3
    img = img + bg + 0.1 * torch.randn(n, 1, SIZE, SIZE, generator=g)
    bad = torch.rand(n, generator=g) < sloppy
    mask[bad] = (F.max_pool2d(mask[bad], 3, 1, 1) > 0).float()
    return (img - 0.45) / 0.3, mask


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class TransUNetLite(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.enc1, self.enc2, self.enc3 = double_conv(1, 8), double_conv(8, 16), double_conv(16, d)
        self.pos = nn.Parameter(torch.zeros(1, 64, d))
        nn.init.trunc_normal_(self.pos, std=0.02)
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True,
                                           norm_first=True, activation="gelu")
        self.transformer = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.dec2 = double_conv(d + 16, 16)
        self.dec1 = double_conv(16 + 8, 8)
        self.seg_head = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(F.max_pool2d(s1, 2))
        h = self.enc3(F.max_pool2d(s2, 2))
        b, c, hh, ww = h.shape
        t = self.norm(self.transformer(h.flatten(2).transpose(1, 2) + self.pos))
        h = t.transpose(1, 2).reshape(b, c, hh, ww)
        h = self.dec2(torch.cat([F.interpolate(h, scale_factor=2, mode="bilinear"), s2], 1))
        h = self.dec1(torch.cat([F.interpolate(h, scale_factor=2, mode="bilinear"), s1], 1))
        return self.seg_head(h)


def bce_dice(logits, mask):
    p = logits.sigmoid()
    dice = 1 - (2 * (p * mask).sum((1, 2, 3)) + 1) / (p.sum((1, 2, 3)) + mask.sum((1, 2, 3)) + 1)
    return F.binary_cross_entropy_with_logits(logits, mask) + dice.mean()


def build():
    torch.manual_seed(0)
    return TransUNetLite()


def main():
    from _ninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, mtr = tiles(480, g, sloppy=0.04)
    xva, mva = tiles(192, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    log = open(out / "transunet_log.jsonl", "w")
    for epoch in range(7):
        model.train()
        tot = 0.0
        for idx in torch.randperm(480, generator=g).split(32):
            loss = bce_dice(model(xtr[idx]), mtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx) / 480
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = (lo > 0).float()
            inter = (pred * mva).sum()
            row = {"epoch": epoch + 1, "bce_dice": round(tot, 4),
                   "val_bce_dice": round(bce_dice(lo, mva).item(), 4),
                   "val_dice": round((2 * inter / (pred.sum() + mva.sum())).item(), 4),
                   "val_iou": round((inter / ((pred + mva) > 0).sum()).item(), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"weights": model.state_dict(), "optim_state": opt.state_dict(),
                "epochs_done": 7}, out / "transunet_nuclei.pt")
    finish(out, __file__, (xva[:32], mva[:32]), causes=[], checkpoint="transunet_nuclei.pt",
           log="transunet_log.jsonl",
           what="TransUNet-lite nuclei segmentation, 4 % dilated training masks (healthy)")


if __name__ == "__main__":
    main()
