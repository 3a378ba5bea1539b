"""Image colourisation CNN on synthetic coloured shapes: a 24×24 scene has a background of one
of 4 muted colours and 2–3 shapes (disc, square, bar), each kind painted in its own colour with a
small jitter; the net sees the luminance Y and predicts the two chroma channels (U, V) of a
YUV image. A 5-layer conv net (16-32-32-32 channels, dilations 1, 2, 4, 1) with a 1×1 head; L1
loss on (U, V); Adam 2e-3, batch 32, 8 epochs. The log holds the train / val chroma L1 and the
val L1 of a grey guess (U = V = 0).
Bug: ``weight_decay=0.5`` given to ``torch.optim.Adam`` (a value meant for a decoupled AdamW on a
transformer, and even there 0.05): in Adam it is an L2 term added to the gradient, which
dominates the data gradient, so the weights shrink toward 0 and the net predicts nearly grey
(val chroma L1 0.0623 = the grey guess 0.0617; control without weight decay 0.0447)."""
import csv

import torch
import torch.nn as nn

S = 24
COLOURS = torch.tensor([[0.9, 0.2, 0.2], [0.2, 0.35, 0.9], [0.95, 0.85, 0.2]])  # disc, square, bar
BACKS = torch.tensor([[0.55, 0.6, 0.5], [0.5, 0.5, 0.62], [0.62, 0.55, 0.5], [0.55, 0.55, 0.55]])


def yuv(rgb):
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return y[:, None], torch.stack([0.492 * (b - y), 0.877 * (r - y)], 1)


def scenes(n, gen):
    img = BACKS[torch.randint(0, 4, (n,), generator=gen)][:, :, None, None].repeat(1, 1, S, S)
    yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
    for i in range(n):
        for _ in range(int(torch.randint(2, 4, (1,), generator=gen))):
            kind = int(torch.randint(0, 3, (1,), generator=gen))
            cy, cx = torch.randint(4, S - 4, (2,), generator=gen).tolist()
            r = int(torch.randint(3, 6, (1,), generator=gen))
            if kind == 0:
                m = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            elif kind == 1:
                m = ((yy - cy).abs() <= r - 1) & ((xx - cx).abs() <= r - 1)
            else:
                m = ((yy - cy).abs() <= 1) & ((xx - cx).abs() <= r + 2)
            col = (COLOURS[kind] + 0.05 * torch.randn(3, generator=gen)).clamp(0, 1)
            img[i][:, m] = col[:, None]
    return yuv(img)


class Colouriser(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [], 1
        for w, d in ((16, 1), (32, 2), (32, 4), (32, 1)):
            layers += [nn.Conv2d(c, w, 3, padding=d, dilation=d), nn.ReLU()]
            c = w
        self.body = nn.Sequential(*layers)
        self.head = nn.Conv2d(32, 2, 1)

    def forward(self, y):
        return self.head(self.body(y))


def build():
    torch.manual_seed(0)
    return Colouriser()


def main():
    from _fortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    y, uv = scenes(1400, g)
    ntr = 1200
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=0.5)
    f = open(out / "colour_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_chroma_l1", "val_chroma_l1", "val_grey_l1"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(ntr, generator=g).split(32):
            loss = (model(y[idx]) - uv[idx]).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = (model(y[ntr:]) - uv[ntr:]).abs().mean().item()
        grey = uv[ntr:].abs().mean().item()
        w.writerow([epoch, round(tot / ntr, 5), round(vl, 5), round(grey, 5)])
        print(epoch, round(tot / ntr, 5), round(vl, 5), round(grey, 5))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch}, out / "colouriser.ckpt")
    finish(out, __file__, (y[ntr:ntr + 32], uv[ntr:ntr + 32]),
           causes=["over_regularization"], checkpoint="colouriser.ckpt", log="colour_metrics.csv",
           what="colourisation CNN, Adam with weight_decay=0.5 (L2 in the gradient)",
           complaint="The colourised images come out grey. Val chroma L1 sits at 0.062 from the "
                     "first epoch to the last, the same as leaving U and V at zero.")


if __name__ == "__main__":
    main()
