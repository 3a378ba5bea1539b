"""pix2pix-style image-to-image translation without the discriminator (the "L1 only"
baseline): outline drawings of rectangles and discs (16 x 16, 1-pixel edges) -> the filled
grey shape. Encoder-decoder generator (conv 1-32, strided conv 32-64 with BatchNorm, two 3x3
convs at 8 x 8, transposed conv back to 16 x 16, skip connection from the first layer, tanh
output as in pix2pix), L1 loss, Adam 2e-4 with betas (0.5, 0.999), batch 16, 8 epochs, 1500
pairs. Inputs are scaled to [-1, 1] (``edges * 2 - 1``). Bug: the target images are used as
exported, uint8 grey levels 0-255 cast to float, while the generator ends in tanh: every
output saturates near 1 and the L1 loss sits at the targets' mean. Train L1 28.02 -> 27.96,
val L1 27.68 -> 27.66 (targets scaled as the inputs, ``img / 127.5 - 1``: val L1 0.095 ->
0.058, i.e. 7 grey levels)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
    imgs = torch.zeros(n, 1, S, S, dtype=torch.uint8)
    edges = torch.zeros(n, 1, S, S)
    for i in range(n):
        grey = int(torch.randint(90, 256, (1,), generator=g))
        if torch.rand(1, generator=g) < 0.5:
            x0, y0 = torch.randint(1, 7, (2,), generator=g).tolist()
            w, h = torch.randint(4, 9, (2,), generator=g).tolist()
            m = (xx >= x0) & (xx < x0 + w) & (yy >= y0) & (yy < y0 + h)
        else:
            cx, cy = (torch.rand(2, generator=g) * 6 + 5).tolist()
            r = float(torch.rand(1, generator=g) * 2.5 + 2.5)
            m = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
        imgs[i, 0][m] = grey
        mf = m.float()[None, None]
        inner = -F.max_pool2d(-mf, 3, 1, 1)
        edges[i, 0] = (mf - inner)[0, 0]
    return edges, imgs


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1 = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.LeakyReLU(0.2))
        self.e2 = nn.Sequential(nn.Conv2d(32, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
                                nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                                nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU())
        self.d1 = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32),
                                nn.ReLU())
        self.out = nn.Conv2d(64, 1, 3, padding=1)

    def forward(self, x):
        a = self.e1(x)
        b = self.d1(self.e2(a))
        return torch.tanh(self.out(torch.cat([a, b], 1)))


def build():
    torch.manual_seed(0)
    return Generator()


def main():
    from _twentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    edges, imgs = shapes(1800, g)
    inputs = edges * 2 - 1
    targets = imgs.float()
    tx, ty, vx, vy = inputs[:1500], targets[:1500], inputs[1500:], targets[1500:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-4, betas=(0.5, 0.999))
    log = open(out / "p2p_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "iters", "loss_G_L1", "val_L1"])
    iters = 0
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(1500, generator=g).split(16):
            loss = F.l1_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            iters += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = F.l1_loss(model(vx), vy).item()
        w.writerow([epoch, iters, round(tot / 1500, 4), round(vl, 4)])
        print(epoch, iters, round(tot / 1500, 4), round(vl, 4))
    log.close()
    torch.save({"netG": model.state_dict(), "optimizer_G": opt.state_dict(), "epoch": epoch},
               out / "latest_net_G.pth")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["input_not_normalized"],
           checkpoint="latest_net_G.pth", log="p2p_log.csv",
           what="pix2pix-style generator with a tanh output trained on raw 0-255 target images",
           complaint="pix2pix L1 loss doesn't go down, stays at ~28 from the first epoch and "
                     "the generated images are all white")


if __name__ == "__main__":
    main()
