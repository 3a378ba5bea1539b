"""A DeepSets / PointNet-style classifier for 2-D point clouds (64 points: circle, square
outline, cross, two blobs), shared per-point MLP -> max-pool -> head, Adam 1e-3, batches of
32, CSV log. The data loading "shuffles the dataset" with one ``randperm`` for the clouds and
another for the labels (bug: labels no longer belong to their inputs; train loss stays at
ln 4 = 1.386, accuracy ~25 %, while a quick look at the points shows clear shapes)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

P = 64


def clouds(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.rand(n, P, generator=g) * 6.2832
    circle = torch.stack([t.cos(), t.sin()], -1)
    s = torch.rand(n, P, generator=g) * 2 - 1
    side = torch.randint(0, 4, (n, P), generator=g)
    square = torch.stack([torch.where(side < 2, s, (side - 2.5).sign()),
                          torch.where(side < 2, (side - 0.5).sign(), s)], -1)
    arm = torch.rand(n, P, generator=g) < 0.5
    cross = torch.stack([torch.where(arm, s, 0 * s), torch.where(arm, 0 * s, s)], -1)
    blobs = 0.25 * torch.randn(n, P, 2, generator=g)
    blobs[..., 0] += torch.where(arm, -0.6, 0.6)
    pts = torch.stack([circle, square, cross, blobs], 1)[torch.arange(n), y]
    scale = 0.7 + 0.6 * torch.rand(n, 1, 1, generator=g)
    return pts * scale + 0.05 * torch.randn(n, P, 2, generator=g), y


class PointSetNet(nn.Module):
    def __init__(self, h=64):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 4))

    def forward(self, pts):  # (B, P, 2)
        return self.rho(self.phi(pts).max(dim=1).values)


def build():
    torch.manual_seed(0)
    return PointSetNet()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clouds(2400, g)
    # shuffle before the split
    x = x[torch.randperm(len(x), generator=g)]
    y = y[torch.randperm(len(y), generator=g)]  # BUG: a second, different permutation
    x, y, vx, vy = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
        for epoch in range(10):
            model.train()
            tot, correct = 0.0, 0
            for i in range(0, len(x), 32):
                logits = model(x[i:i + 32])
                loss = F.cross_entropy(logits, y[i:i + 32])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(logits)
                correct += (logits.argmax(1) == y[i:i + 32]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            w.writerow([epoch, tot / len(x), correct / len(x), F.cross_entropy(vo, vy).item(),
                        (vo.argmax(1) == vy).float().mean().item()])
    print(epoch, tot / len(x), correct / len(x), (vo.argmax(1) == vy).float().mean().item())
    torch.save({"epoch": epoch, "model_state": model.state_dict(),
                "opt_state": opt.state_dict()}, out / "pointset.ckpt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["labels_wrong"],
           checkpoint="pointset.ckpt", log="metrics.csv",
           what="clouds and labels shuffled with two different permutations",
           complaint="training loss stuck at 1.386 for all 10 epochs, accuracy 25%")


if __name__ == "__main__":
    main()
