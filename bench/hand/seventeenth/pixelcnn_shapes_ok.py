"""A small PixelCNN on 12x12 binary shape images (filled rectangles, hollow frames, crosses
and diagonal strokes at random positions and sizes, 1 % salt noise): the model gives each
pixel the probability of being on from the pixels above it and to its left. Masked
convolutions (van den Oord et al.): the first one of type "A" (the centre pixel is hidden),
the others of type "B"; a 1x1 head gives one logit per pixel into ``BCEWithLogitsLoss``. Adam
1e-3, batch 64, 10 epochs over 2000 images; the log (JSON lines, ``pixelcnn_log.jsonl``) has
the train and val negative log-likelihood in nats per pixel. Healthy: val NLL 0.455 (epoch 0)
-> 0.144 (the 1 % salt alone costs 0.056), train a little above val (the train figure is the
mean over the epoch); it still falls slowly at the end (a longer run would gain a little)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 12
FIRST_MASK = "A"


def shapes(n, g):
    img = torch.zeros(n, 1, SIZE, SIZE)
    kinds = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        h, w = (int(v) for v in torch.randint(4, 10, (2,), generator=g))
        r, c = int(torch.randint(0, SIZE - h + 1, (1,), generator=g)), int(
            torch.randint(0, SIZE - w + 1, (1,), generator=g))
        k = int(kinds[i])
        if k == 0:
            img[i, 0, r:r + h, c:c + w] = 1
        elif k == 1:
            img[i, 0, r:r + h, c:c + w] = 1
            img[i, 0, r + 1:r + h - 1, c + 1:c + w - 1] = 0
        elif k == 2:
            img[i, 0, r + h // 2, c:c + w] = 1
            img[i, 0, r:r + h, c + w // 2] = 1
        else:
            m = min(h, w)
            img[i, 0, torch.arange(m) + r, torch.arange(m) + c] = 1
    salt = torch.rand(img.shape, generator=g) < 0.01
    return torch.where(salt, 1 - img, img)


class MaskedConv2d(nn.Conv2d):
    def __init__(self, mask_type, *args, **kwargs):
        super().__init__(*args, **kwargs)
        k = self.kernel_size[0]
        mask = torch.ones_like(self.weight)
        mask[:, :, k // 2, k // 2 + (mask_type == "B"):] = 0
        mask[:, :, k // 2 + 1:] = 0
        self.register_buffer("mask", mask)

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class PixelCNN(nn.Module):
    def __init__(self, ch=32, first_mask=FIRST_MASK):
        super().__init__()
        self.net = nn.Sequential(
            MaskedConv2d(first_mask, 1, ch, 5, padding=2), nn.ReLU(),
            MaskedConv2d("B", ch, ch, 3, padding=1), nn.ReLU(),
            MaskedConv2d("B", ch, ch, 3, padding=1), nn.ReLU(),
            MaskedConv2d("B", ch, ch, 3, padding=1), nn.ReLU(),
            nn.Conv2d(ch, 1, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return PixelCNN()


def main():
    from _seventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = shapes(2400, g)
    tx, vx = x[:2000], x[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "pixelcnn_log.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            total = 0.0
            for idx in torch.randperm(2000, generator=g).split(64):
                loss = F.binary_cross_entropy_with_logits(model(tx[idx]), tx[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                total += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                val = F.binary_cross_entropy_with_logits(model(vx), vx).item()
            row = {"epoch": epoch, "step": step, "train_nll": round(total / 2000, 4),
                   "val_nll": round(val, 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "pixelcnn.pt")
    finish(out, __file__, (vx[:64], vx[:64]), causes=[],
           checkpoint="pixelcnn.pt", log="pixelcnn_log.jsonl",
           what="PixelCNN on binary shapes, first mask type A, Adam 1e-3 (healthy)")


if __name__ == "__main__":
    main()
