"""Wine MLP ported from TensorFlow 1: keep_prob=0.9 became nn.Dropout(0.9), which drops 90 %
of the units instead of keeping them."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

WEIGHT_DECAY, DROPOUT = 5e-4, 0.9


def wines(n, g):
    w = torch.randn(20, 3, generator=torch.Generator().manual_seed(3))
    x = torch.randn(n, 20, generator=g)
    y = (x @ w + 0.8 * torch.randn(n, 3, generator=g)).argmax(1)
    return x, y


class WineNet(nn.Module):
    def __init__(self, p=DROPOUT):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Dropout(p),
                                    nn.Linear(128, 128), nn.ReLU(), nn.Dropout(p),
                                    nn.Linear(128, 3))

    def forward(self, x):
        return self.layers(x)


def build():
    torch.manual_seed(0)
    return WineNet()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def train_one_epoch(model, opt, x, y, g):
    model.train()
    perm = torch.randperm(len(x), generator=g)
    losses = []
    for i in range(0, len(x), 32):
        b = perm[i:i + 32]
        loss = F.cross_entropy(model(x[b]), y[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


def main(causes=("over_regularization",), what="nn.Dropout(0.9) (TF keep_prob copied as p)",
         said="training loss is very noisy and much higher than validation loss"):
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = wines(2000, g)
    vx, vy = wines(500, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=WEIGHT_DECAY)
    with open(out / "wine_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
        for epoch in range(20):
            tl = train_one_epoch(model, opt, x, y, g)
            vl, va = evaluate(model, vx, vy)
            w.writerow([epoch, tl, vl, va])
    print("train loss", tl, "val loss", vl, "val acc", va)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "wine.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=list(causes), checkpoint="wine.pt",
           log="wine_log.csv", what=what, complaint=said)


if __name__ == "__main__":
    main()
