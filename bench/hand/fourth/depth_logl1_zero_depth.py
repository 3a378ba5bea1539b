"""Monocular depth on tiny 24x24 renders of a room (floor, back wall, a box), the way
depth-estimation repos train: an encoder-decoder predicts log-depth and the loss is L1 in
log space. The sensor leaves holes (depth 0) where nothing was measured; the evaluation
masks them, the training loss takes ``torch.log(depth)`` of every pixel. Adam 1e-3, CSV."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

H = W = 24


def scenes(n, g):
    rows = torch.linspace(0, 1, H)[:, None].expand(H, W)
    depth = torch.empty(n, 1, H, W)
    image = torch.empty(n, 3, H, W)
    for i in range(n):
        wall = 4 + 4 * float(torch.rand(1, generator=g))
        horizon = 0.3 + 0.3 * float(torch.rand(1, generator=g))
        floor = torch.where(rows > horizon, 1.0 + (1 - rows) / (1 - horizon + 1e-3) * wall, wall)
        d = torch.minimum(floor, torch.full_like(floor, wall))
        x0, y0 = torch.randint(2, 14, (2,), generator=g).tolist()
        d[y0:y0 + 8, x0:x0 + 8] = 1 + 2 * float(torch.rand(1, generator=g))
        depth[i, 0] = d
        shade = 1.0 / d  # nearer is brighter, plus colour texture
        image[i] = shade[None] * (0.6 + 0.4 * torch.rand(3, 1, 1, generator=g))
    image = image + 0.03 * torch.randn(image.shape, generator=g)
    holes = torch.rand(depth.shape, generator=g) < 0.05  # missing sensor returns
    depth[holes] = 0.0
    return (image - 0.3) / 0.2, depth


class DepthNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Conv2d(3, 16, 3, padding=1)
        self.enc2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.mid = nn.Conv2d(32, 32, 3, padding=1)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.head = nn.Conv2d(32, 1, 3, padding=1)

    def forward(self, x):
        a = F.relu(self.enc1(x))
        b = F.relu(self.mid(F.relu(self.enc2(a))))
        return self.head(torch.cat([a, F.relu(self.up(b))], 1))  # log-depth


def build():
    torch.manual_seed(0)
    return DepthNet()


def log_l1(pred_log, depth):
    return (pred_log - torch.log(depth)).abs().mean()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, d), (vx, vd) = scenes(1200, g), scenes(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_abs_rel"])
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            run = 0.0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                loss = log_l1(model(x[idx]), d[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                run += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(vx)
                valid = vd > 0
                abs_rel = ((p.exp() - vd).abs()[valid] / vd[valid]).mean().item()
                w.writerow([epoch, run / len(x), log_l1(p, vd).item(), abs_rel])
            print(epoch, round(run / len(x), 4), round(abs_rel, 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "depthnet.pt")
    finish(out, __file__, (vx[:32], vd[:32]), causes=["numerical_log_or_div_zero"],
           checkpoint="depthnet.pt", log="train_log.csv",
           what="log of the depth target where the sensor left holes (depth 0): log 0 = -inf",
           complaint="train and val loss print inf from the first epoch on, yet the "
                     "predicted depth maps look plausible")


if __name__ == "__main__":
    main()
