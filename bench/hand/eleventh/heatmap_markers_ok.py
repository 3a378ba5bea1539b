"""Keypoint regression with heatmaps: find the centre of a surveying marker (a 7x7 cross)
in 24x48 grey drone strips with clutter (bright squares and bars) and noise. A fully
convolutional net without biases (each conv followed by GroupNorm, as in many pose nets),
dilations 1-2-4-2, predicts a 24x48 heatmap; the target is a Gaussian (sigma 1.5 px, peak 1)
at the marker centre; pixel MSE, as in the simple-baselines pose recipe. Adam 4e-3, batch 32,
8 epochs, a JSON-lines log per 10 steps and per epoch with PCK@2px (argmax within 2 px).
Healthy: val PCK@2px 0.975 (0.56 after epoch 0); the MSE is small in absolute terms (0.0024:
most pixels are 0) and falls slowly while the PCK climbs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

H, W, SIGMA = 24, 48, 1.5


def tiles(n, g):
    x = 0.25 * torch.randn(n, 1, H, W, generator=g)
    kp = torch.stack([torch.randint(4, W - 4, (n,), generator=g),
                      torch.randint(4, H - 4, (n,), generator=g)], 1)  # (x, y) = (column, row)
    for i in range(n):
        for _ in range(3):
            r, c = torch.randint(0, H - 4, (1,), generator=g).item(), torch.randint(
                0, W - 6, (1,), generator=g).item()
            h, w = (4, 4) if torch.rand(1, generator=g) < 0.5 else (1, 6)
            x[i, 0, r:r + h, c:c + w] += 0.8
        cx, cy = kp[i].tolist()
        x[i, 0, cy, cx - 3:cx + 4] += 1.0
        x[i, 0, cy - 3:cy + 4, cx] += 1.0
    return x, kp


def heatmaps(kp):
    grid_r, grid_c = torch.arange(H, dtype=torch.float), torch.arange(W, dtype=torch.float)
    gx = torch.exp(-(grid_c[None] - kp[:, :1].float()) ** 2 / (2 * SIGMA ** 2))  # over columns
    gy = torch.exp(-(grid_r[None] - kp[:, 1:].float()) ** 2 / (2 * SIGMA ** 2))  # over rows
    return (gy[:, :, None] * gx[:, None, :]).unsqueeze(1)  # (N, 1, rows, cols)


def conv(cin, cout, d):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=d, dilation=d, bias=False),
                         nn.GroupNorm(4, cout), nn.ReLU())


class HeatmapNet(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.body = nn.Sequential(conv(1, ch, 1), conv(ch, ch, 2), conv(ch, ch, 4), conv(ch, ch, 2))
        self.out = nn.Conv2d(ch, 1, 1, bias=False)

    def forward(self, x):
        return self.out(self.body(x))


def pck(pred, kp, tol=2):
    flat = pred.flatten(1).argmax(1)
    rows, cols = flat // W, flat % W
    return ((cols - kp[:, 0]).abs().maximum((rows - kp[:, 1]).abs()) <= tol).float().mean().item()


def build():
    torch.manual_seed(0)
    return HeatmapNet()


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, kp = tiles(640, g)
    vx, vkp = tiles(200, g)
    y, vy = heatmaps(kp), heatmaps(vkp)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=4e-3)
    log = open(out / "train.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(len(x), generator=g).split(32):
            loss = F.mse_loss(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "train_mse": loss.item()}) + "\n")
        model.eval()
        with torch.no_grad():
            p = model(vx)
            rec = {"step": step, "epoch": epoch, "val_mse": F.mse_loss(p, vy).item(),
                   "val_pck2": pck(p, vkp)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "heatmap_net.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="heatmap_net.pt",
           log="train.jsonl", what="bias-free GroupNorm heatmap net, marker keypoints (healthy)")


if __name__ == "__main__":
    main()
