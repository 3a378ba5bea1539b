"""Tiny FlowNet-style optical flow (FlowNetSimple: the two frames stacked as channels, a conv
encoder with stride, a decoder with a skip, a 2-channel flow at full resolution). Pairs are
smooth random textures (blurred noise, 32×32) and the same texture moved by a known rigid
motion (a shift of up to ±2.5 px and a rotation of up to ±6° about the centre) through
``grid_sample``, so the true flow field is known at every pixel. Loss: mean endpoint error
(EPE); Adam 1e-3, batch 32, 10 epochs. The JSON-lines log holds ``train_epe`` every 10 steps
and ``val_epe`` per epoch (with the EPE of predicting zero flow beside it).
Bug: the loop has no ``optimizer.zero_grad()`` (it was dropped when the loss was rewritten
from a sum of two scales to one), so every step's gradient is added onto all the earlier
ones and Adam follows the running sum."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32


def pairs(n, g):
    tex = F.avg_pool2d(torch.randn(n, 1, S + 8, S + 8, generator=g), 5, 1)[:, :, 2:-2, 2:-2]
    tex = tex / tex.std(dim=(2, 3), keepdim=True)
    shift = (torch.rand(n, 2, generator=g) * 2 - 1) * 2.5
    ang = (torch.rand(n, generator=g) * 2 - 1) * math.radians(6)
    ys, xs = torch.meshgrid(torch.arange(S, dtype=torch.float32),
                            torch.arange(S, dtype=torch.float32), indexing="ij")
    cx = xs[None] - (S - 1) / 2
    cy = ys[None] - (S - 1) / 2
    c, s = torch.cos(ang)[:, None, None], torch.sin(ang)[:, None, None]
    # frame 2 at p shows frame 1 at R^-1 (p - t): a point of frame 1 moves by flow(p)
    nx = c * cx - s * cy + shift[:, 0, None, None]
    ny = s * cx + c * cy + shift[:, 1, None, None]
    flow = torch.stack([nx - cx, ny - cy], 1)
    bx = c * (cx - shift[:, 0, None, None]) + s * (cy - shift[:, 1, None, None])
    by = -s * (cx - shift[:, 0, None, None]) + c * (cy - shift[:, 1, None, None])
    grid = torch.stack([bx / ((S - 1) / 2), by / ((S - 1) / 2)], -1)
    second = F.grid_sample(tex, grid, align_corners=True, padding_mode="border")
    noise = 0.05 * torch.randn(n, 2, S, S, generator=g)
    return torch.cat([tex, second], 1) + noise, flow


class FlowNetS(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Sequential(nn.Conv2d(2, 24, 5, 2, 2), nn.LeakyReLU(0.1))
        self.c2 = nn.Sequential(nn.Conv2d(24, 48, 3, 2, 1), nn.LeakyReLU(0.1),
                                nn.Conv2d(48, 48, 3, 1, 1), nn.LeakyReLU(0.1))
        self.up = nn.Sequential(nn.ConvTranspose2d(48, 24, 4, 2, 1), nn.LeakyReLU(0.1))
        self.head = nn.Sequential(nn.Conv2d(48, 24, 3, 1, 1), nn.LeakyReLU(0.1),
                                  nn.Conv2d(24, 2, 3, 1, 1))

    def forward(self, x):
        a = self.c1(x)
        b = self.c2(a)
        f = self.head(torch.cat([self.up(b), a], 1))
        return 2.0 * F.interpolate(f, scale_factor=2, mode="bilinear", align_corners=False)


def epe(pred, flow):
    return (pred - flow).norm(dim=1).mean()


def build():
    torch.manual_seed(0)
    return FlowNetS()


def main():
    from _thirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, flow = pairs(1400, g)
    tx, tf, vx, vf = x[:1200], flow[:1200], x[1200:], flow[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "flow_log.jsonl", "w")
    step = 0
    for epoch in range(10):
        model.train()
        for idx in torch.randperm(1200, generator=g).split(32):
            loss = epe(model(tx[idx]), tf[idx])
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "train_epe": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            v = epe(model(vx), vf).item()
            zero = vf.norm(dim=1).mean().item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_epe": round(v, 4),
                              "val_epe_zero_flow": round(zero, 4)}) + "\n")
        print(epoch, step, round(loss.item(), 4), round(v, 4), round(zero, 4))
    log.close()
    torch.save({"net": model.state_dict(), "opt_state": opt.state_dict(), "epoch": epoch,
                "global_step": step}, out / "flownets.pth")
    finish(out, __file__, (vx[:32], vf[:32]), causes=["missing_zero_grad"],
           checkpoint="flownets.pth", log="flow_log.jsonl",
           what="tiny FlowNetS on synthetic rigid-motion pairs, optimizer.zero_grad() missing",
           complaint="flow net: the endpoint error drops in the first epoch, then grows every "
                     "epoch, to thousands of pixels on 32x32 frames, far worse than predicting "
                     "zero flow (2.05)")


if __name__ == "__main__":
    main()
