"""PoseNet-style camera pose regression on synthetic 24x24 renders of a wall of landmarks: the
camera moves in x/y (the landmarks shift) and in depth z (they grow and shrink); a small conv
net (3 conv+BN+ReLU blocks, global pool, dropout 0.2) regresses (x, y, z), with the PoseNet
loss ||p - p_hat|| weighted per axis. Adam 2e-3, batch 32, 8 epochs of 1200 renders, a JSON-lines
log per epoch (train_pose_loss, val_pos_err, val_depth_err). Healthy: the first epoch is slow,
then the errors fall well below the spread of the poses."""
import json

import torch
import torch.nn as nn

S = 24
LM = torch.tensor([[0.2, 0.3], [0.7, 0.2], [0.5, 0.6], [0.25, 0.8], [0.8, 0.75]])


def render(pose):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, S), torch.linspace(0, 1, S), indexing="ij")
    imgs = []
    for x, y, z in pose.tolist():
        im = torch.zeros(S, S)
        for k, (lx, ly) in enumerate(LM.tolist()):
            cx, cy = 0.5 + (lx - 0.5) * z + x, 0.5 + (ly - 0.5) * z + y
            im += (0.5 + 0.1 * k) * torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (0.004 * z * z))
        imgs.append(im)
    return torch.stack(imgs)[:, None]


def data(n, g):
    pose = torch.stack([0.3 * torch.rand(n, generator=g) - 0.15, 0.3 * torch.rand(n, generator=g) - 0.15,
                        0.7 + 0.6 * torch.rand(n, generator=g)], 1)
    x = render(pose) + 0.05 * torch.randn(n, 1, S, S, generator=g)
    return x, pose


class PoseNet(nn.Module):
    def __init__(self):
        super().__init__()
        blocks, c = [], 1
        for o in (16, 32, 32):
            blocks += [nn.Conv2d(c, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2)]
            c = o
        self.features = nn.Sequential(*blocks)
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 9, 64), nn.ReLU(), nn.Dropout(0.2))
        self.xyz = nn.Linear(64, 3)

    def forward(self, x):
        return self.xyz(self.fc(self.features(x)))


def build():
    torch.manual_seed(0)
    return PoseNet()


def main():
    from _ninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, p = data(1500, g)
    xtr, ptr, xva, pva = x[:1200], p[:1200], x[1200:], p[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    w = torch.tensor([1.0, 1.0, 0.5])
    log = open(out / "pose_log.jsonl", "w")
    for ep in range(8):
        model.train()
        perm = torch.randperm(1200, generator=g)
        tot = 0.0
        for i in range(0, 1200, 32):
            b = perm[i:i + 32]
            loss = ((model(xtr[b]) - ptr[b]).abs() * w).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            pr = model(xva)
        rec = {"ep": ep, "train_pose_loss": round(tot / 1200, 4),
               "val_pos_err": round((pr[:, :2] - pva[:, :2]).norm(dim=1).mean().item(), 4),
               "val_depth_err": round((pr[:, 2] - pva[:, 2]).abs().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 8},
               out / "posenet_ep8.pt")
    finish(out, __file__, (xva[:64], pva[:64]), causes=[], healthy=True,
           checkpoint="posenet_ep8.pt", log="pose_log.jsonl",
           what="PoseNet-style camera pose regressor on landmark renders, healthy",
           complaint="")


if __name__ == "__main__":
    main()
