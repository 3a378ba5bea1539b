"""Convolutional autoencoder for scanned form glyphs: 16x16 grey images (10 glyph shapes from
line strokes, random shift and stroke width, values in 0..1) through a 4x4x8 code, sigmoid
output, MSE. Adam 2e-3, batch 64, 12 epochs. Bug: ``Adam(..., weight_decay=1e-2)`` -- a value
meant for AdamW's decoupled decay; in Adam it is an L2 term added to the gradient before the
adaptive scaling and it pins every weight near 0: the output is the same blurred average
glyph for every input, val MSE 0.112 (the pixel variance is 0.116) from epoch 5 on; without
weight decay the same script reaches 0.0054."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

STROKES = torch.tensor([[[2, 3, 13, 3], [13, 3, 13, 13], [2, 13, 13, 13]],
                        [[8, 1, 8, 14], [4, 4, 8, 1], [4, 14, 12, 14]],
                        [[2, 2, 13, 13], [13, 2, 2, 13], [2, 8, 13, 8]],
                        [[3, 2, 3, 13], [3, 2, 12, 7], [12, 7, 3, 13]],
                        [[2, 2, 13, 2], [2, 8, 10, 8], [2, 2, 2, 13]],
                        [[7, 1, 2, 13], [7, 1, 13, 13], [4, 9, 11, 9]],
                        [[2, 13, 13, 2], [2, 2, 2, 13], [13, 2, 13, 13]],
                        [[2, 4, 13, 4], [2, 10, 13, 10], [8, 1, 8, 14]],
                        [[3, 3, 12, 12], [3, 12, 12, 3], [8, 1, 8, 6]],
                        [[2, 7, 8, 1], [8, 1, 13, 7], [2, 7, 13, 7]]], dtype=torch.float32)


def glyphs(n, g):
    k = torch.randint(0, 10, (n,), generator=g)
    seg = STROKES[k] + torch.randint(-1, 2, (n, 1, 2), generator=g).repeat(1, 1, 2)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    p = torch.stack([xx, yy], -1).reshape(1, 1, 256, 2)
    a, b = seg[..., None, :2], seg[..., None, 2:]
    t = (((p - a) * (b - a)).sum(-1) / ((b - a) ** 2).sum(-1).clamp(min=1e-6)).clamp(0, 1)
    dist = (p - (a + t[..., None] * (b - a))).norm(dim=-1).min(1).values
    width = 0.6 + 0.6 * torch.rand(n, 1, generator=g)
    return torch.sigmoid(4 * (width - dist)), k


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(),
                                     nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                     nn.Conv2d(32, 8, 1))
        self.decoder = nn.Sequential(nn.ConvTranspose2d(8, 32, 4, 2, 1), nn.ReLU(),
                                     nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
                                     nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return ConvAE()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, _), (vx, _) = glyphs(2000, g), glyphs(500, g)
    x, vx = x.view(-1, 1, 16, 16), vx.view(-1, 1, 16, 16)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-2)
    rows = [["epoch", "loss", "val_loss"]]
    for epoch in range(12):
        model.train()
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        for i in range(0, len(x), 64):
            xb = x[perm[i:i + 64]]
            loss = F.mse_loss(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            rows.append([epoch, tot / len(x), F.mse_loss(model(vx), vx).item()])
        print(rows[-1])
    with open(out / "ae_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "conv_ae.pt")
    finish(out, __file__, (vx[:128], vx[:128]), causes=["over_regularization"],
           checkpoint="conv_ae.pt", log="ae_log.csv",
           what="conv autoencoder, Adam weight_decay=1e-2 (L2)",
           complaint="my autoencoder outputs the same blurry average glyph for every input, "
                     "the loss stopped going down early")


if __name__ == "__main__":
    main()
