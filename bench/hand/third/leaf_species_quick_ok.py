"""A short run: leaf species (4 classes) from 6 shape measurements, softmax regression plus one
hidden layer, Adam 1e-2, only 3 epochs because it has converged by then. The loop logs every
step and validates at the end of each epoch (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def leaves(n, g):
    centres = torch.tensor([[2.0, 0.5, 1.0, 0.0, 0.3, 1.2], [0.5, 2.0, 0.0, 1.0, 1.5, 0.2],
                            [-1.5, 0.0, 2.0, -1.0, 0.0, 0.8], [0.0, -1.5, -1.0, 2.0, -1.0, 0.0]])
    y = torch.randint(0, 4, (n,), generator=g)
    return centres[y] + 0.6 * torch.randn(n, 6, generator=g), y


class LeafNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(6, 16)
        self.out = nn.Linear(16, 4)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


def build():
    torch.manual_seed(0)
    return LeafNet()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = leaves(1200, g), leaves(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    f = open(out / "leaf_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss", "val_loss", "val_acc"])
    step = 0
    for epoch in range(3):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            row = [step, epoch, loss.item(), "", ""]
            if i + 32 >= len(x):
                with torch.no_grad():
                    v = model(vx)
                row[3:] = [F.cross_entropy(v, vy).item(), (v.argmax(1) == vy).float().mean().item()]
            w.writerow(row)
    f.close()
    print("val acc", row[4], "val loss", row[3])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "leafnet.pt")
    finish(out, __file__, (vx[:100], vy[:100]), causes=[], checkpoint="leafnet.pt",
           log="leaf_log.csv", what="3-epoch leaf classifier, converged: healthy")


if __name__ == "__main__":
    main()
