"""Bird-call spectrograms (1x32x32 log-mel patches, synthetic: 5 species as chirps with their
own pitch, slope and rhythm, over noise) -> species, a 4-block CNN with BatchNorm and dropout,
SGD + momentum 0.9, lr 0.05. ``model.train()`` is called once before the epoch loop and the
per-epoch validation calls ``model.eval()`` (bug: the model never goes back to train mode, so
from epoch 2 on the BatchNorm layers normalise with the frozen running statistics of epoch 1
and dropout is off; val accuracy is 1.0 after epoch 1, then the train loss turns NaN in epoch 2
and val accuracy drops to 0.22; with ``model.train()`` inside the loop the loss keeps falling
to 0.004)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def calls(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    pitch = torch.tensor([6.0, 10, 14, 18, 24])[y] + 1.5 * torch.randn(n, generator=g)
    slope = torch.tensor([0.3, -0.3, 0.0, 0.5, -0.1])[y]
    period = torch.tensor([8, 5, 16, 6, 10])[y]
    t = torch.arange(32.0)
    f = pitch[:, None] + slope[:, None] * (t % period[:, None])
    on = ((t[None] % period[:, None]) < period[:, None] * 0.6).float()
    mel = torch.arange(32.0)[None, :, None]
    spec = torch.exp(-((mel - f[:, None, :]) ** 2) / 2) * on[:, None, :]
    spec = spec * (0.5 + torch.rand(n, 1, 1, generator=g)) + 0.4 * torch.rand(n, 32, 32,
                                                                               generator=g)
    return torch.log1p(5 * spec)[:, None], y


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class BirdNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(block(1, 16), nn.MaxPool2d(2), block(16, 32),
                                      nn.MaxPool2d(2), block(32, 64), block(64, 64))
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(64, 5)

    def forward(self, x):
        return self.fc(self.drop(self.features(x).mean((2, 3))))


def build():
    torch.manual_seed(0)
    return BirdNet()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = calls(1500, g), calls(400, g)
    mu, sd = x.mean(), x.std()
    x, vx = (x - mu) / sd, (vx - mu) / sd
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rows = [["epoch", "train_loss", "val_loss", "val_acc"]]
    model.train()  # BUG: only here, not at the top of every epoch
    for epoch in range(6):
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        for i in range(0, len(x), 50):
            idx = perm[i:i + 50]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vo = model(vx)
        rows.append([epoch, tot / len(x), F.cross_entropy(vo, vy).item(),
                     (vo.argmax(1) == vy).float().mean().item()])
        print(rows[-1])
    with open(out / "log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "birdnet.pt")
    finish(out, __file__, (vx[:100], vy[:100]), causes=["train_in_eval_mode"],
           checkpoint="birdnet.pt", log="log.csv",
           what="model.eval() for validation and never model.train() again (BN + dropout CNN)",
           complaint="epoch 1 val acc 100%, then from epoch 2 the loss is nan??")


if __name__ == "__main__":
    main()
