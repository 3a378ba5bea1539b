"""Fast neural style transfer written by hand: a small feed-forward transformer net (conv 3→16,
a stride-2 conv to 32, two residual blocks, nearest upsampling and conv back to 3 channels,
instance norm and ReLU, a tanh-free residual output) trained on synthetic 32×32 colour images
(blobs, gradients and bars) to restyle them with a diagonal-stripes style image. The loss
network is a frozen, randomly initialised 3-stage conv net (no VGG download; random conv
features carry texture statistics): content loss = MSE of stage-2 features against the input's,
style loss = Σ over the 3 stages of the MSE between the output's and the style image's Gram
matrices, total = content + 1000 × style. Adam 1e-3, batch 16, 6 epochs over 640 images; JSON
lines (content / style / total every 10 iterations, a validation record per epoch). Healthy:
the style loss falls 2.5× (1.4e-4 → 5.6e-5) and levels, the content loss rises from its start
(the net must move away from the input to take the stripes) and settles near 0.03; the total
levels on a noisy plateau near 0.09 (the two losses pull against each other)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S, STYLE_W = 32, 1000.0


def images(n, g):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, S), torch.linspace(0, 1, S), indexing="ij")
    out = torch.zeros(n, 3, S, S)
    for i in range(n):
        base = torch.rand(3, 1, 1, generator=g) * (xx if i % 2 else yy)
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            cx, cy, r = torch.rand(3, generator=g).tolist()
            blob = ((xx - cx) ** 2 + (yy - cy) ** 2 < (0.1 + 0.2 * r) ** 2).float()
            base = base + blob * torch.rand(3, 1, 1, generator=g)
        out[i] = base.clamp(0, 1) + 0.03 * torch.randn(3, S, S, generator=g)
    return out


def style_image():
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    stripes = (((xx + yy) // 4) % 2).float()
    return torch.stack([stripes, 0.3 + 0.4 * stripes, 1 - stripes])[None]


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1), nn.InstanceNorm2d(c, affine=True),
                                  nn.ReLU(), nn.Conv2d(c, c, 3, 1, 1),
                                  nn.InstanceNorm2d(c, affine=True))

    def forward(self, x):
        return x + self.body(x)


class TransformerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 16, 3, 1, 1), nn.InstanceNorm2d(16, affine=True), nn.ReLU(),
            nn.Conv2d(16, 32, 3, 2, 1), nn.InstanceNorm2d(32, affine=True), nn.ReLU(),
            Residual(32), Residual(32),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(32, 16, 3, 1, 1), nn.InstanceNorm2d(16, affine=True), nn.ReLU(),
            nn.Conv2d(16, 3, 3, 1, 1))

    def forward(self, x):
        return x + self.net(x)


class LossNet(nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(123)
        self.stages = nn.ModuleList()
        for cin, cout, stride in ((3, 16, 1), (16, 32, 2), (32, 48, 2)):
            conv = nn.Conv2d(cin, cout, 3, stride, 1)
            with torch.no_grad():
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g)
                                  * (2 / (cin * 9)) ** 0.5)
                conv.bias.zero_()
            self.stages.append(nn.Sequential(conv, nn.ReLU()))
        self.requires_grad_(False)

    def forward(self, x):
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats


def gram(f):
    b, c, h, w = f.shape
    f = f.reshape(b, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)


def losses(net, lossnet, x, style_grams):
    y = net(x)
    fy, fx = lossnet(y), lossnet(x)
    content = F.mse_loss(fy[1], fx[1])
    style = sum(F.mse_loss(gram(a), s.expand(len(x), -1, -1))
                for a, s in zip(fy, style_grams, strict=True))
    return content, style


def build():
    torch.manual_seed(0)
    return TransformerNet()


def main():
    from _sixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = images(720, g)
    tx, vx = x[:640], x[640:]
    lossnet = LossNet().eval()
    with torch.no_grad():
        style_grams = [gram(f) for f in lossnet(style_image())]
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    log = open(out / "style_log.jsonl", "w")
    it = 0
    for epoch in range(6):
        net.train()
        for idx in torch.randperm(640, generator=g).split(16):
            content, style = losses(net, lossnet, tx[idx], style_grams)
            total = content + STYLE_W * style
            opt.zero_grad()
            total.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"iteration": it, "content": round(content.item(), 5),
                                      "style": round(style.item(), 6),
                                      "total": round(total.item(), 5)}) + "\n")
        net.eval()
        with torch.no_grad():
            vc, vs = losses(net, lossnet, vx, style_grams)
        log.write(json.dumps({"iteration": it, "epoch": epoch,
                              "val_content": round(vc.item(), 5),
                              "val_style": round(vs.item(), 6),
                              "val_total": round((vc + STYLE_W * vs).item(), 5)}) + "\n")
        print(epoch, it, round(total.item(), 5), round(vc.item(), 5), round(vs.item(), 6))
    log.close()
    torch.save({"transformer": net.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch, "iteration": it, "style_weight": STYLE_W},
               out / "style_net.pth")
    finish(out, __file__, (vx[:16], vx[:16]), causes=[], checkpoint="style_net.pth",
           log="style_log.jsonl",
           what="fast style transfer net, Gram style loss + content loss (healthy)")


if __name__ == "__main__":
    main()
