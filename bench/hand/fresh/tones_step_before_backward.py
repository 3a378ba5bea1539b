"""Keyword-spotting style 1-D conv net on 1 s "audio" clips (4 tone patterns in noise,
800 samples), SGD momentum 0.9, lr 0.05. The loop reads zero_grad / step / backward:
optimizer.step() runs before loss.backward(), right after the gradients were cleared, so
every step sees empty gradients and the weights never leave their initial values."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def clips(n, seed, length=800):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(length) / length
    f0 = torch.tensor([40.0, 55.0, 70.0, 85.0])[y] * (1 + 0.05 * torch.randn(n, generator=g))
    chirp = torch.where(y[:, None] % 2 == 0, 1.0, 1.0 + 0.5 * t[None])
    wave = torch.sin(2 * math.pi * f0[:, None] * t[None] * chirp)
    wave = wave * torch.hann_window(length)[None] + 0.5 * torch.randn(n, length, generator=g)
    return wave[:, None], y


class KWSNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, 9, stride=2)
        self.conv2 = nn.Conv1d(16, 32, 9, stride=2)
        self.conv3 = nn.Conv1d(32, 32, 9, stride=2)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(F.max_pool1d(x, 2)))
        x = F.relu(self.conv3(F.max_pool1d(x, 2)))
        return self.fc(x.mean(-1))


def build():
    torch.manual_seed(0)
    return KWSNet()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    x, y = clips(1200, 0)
    vx, vy = clips(300, 1)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rows = [["step", "loss", "val_acc"]]
    for step in range(150):
        idx = torch.randint(0, len(x), (32,))
        opt.zero_grad()
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.step()
        loss.backward()
        if step % 10 == 0 or step == 149:
            with torch.no_grad():
                acc = (model(vx).argmax(1) == vy).float().mean().item()
            rows.append([step, loss.item(), acc])
    print(rows[1], rows[-1])
    with open(out / "kws.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": 150},
               out / "kws.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], healthy=False,
           checkpoint="kws.pt", log="kws.csv",
           what="optimizer.step() before loss.backward() (after zero_grad): no update ever; "
                "no cause id names it (the effect is that of params_not_in_optimizer)",
           complaint="the loss does not change at all, it stays at 1.38 from step 0")


if __name__ == "__main__":
    main()
