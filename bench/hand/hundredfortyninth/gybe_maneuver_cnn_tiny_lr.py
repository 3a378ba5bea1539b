"""Plain torch: manoeuvre detection on a dinghy's sailing instruments. A 64-sample window (4 Hz)
of 5 channels (heading rate, heel, boom angle, boat speed, apparent wind angle) is a straight
leg, a tack or a gybe: a tack swings the heading into the wind with heel through zero and a
speed dip; a gybe swings away from it with a fast boom crossing and little speed loss. A 1-D CNN
(conv 5→32→32, k5, ReLU, max-pool, global average, linear 3), Adam, batch 64, 15 epochs of
1536 windows.
Bug (lr_too_low): the learning rate was typed as ``1e-6`` (the notebook's fine-tuning value);
the loss creeps down almost linearly from ln 3. Control (``lr=1e-3``): val acc 1.00, val loss 0.0014 after 15 epochs;
the broken run: train loss 1.0905 → 1.0858, val acc 0.28 throughout."""
import csv
import sys

import torch
import torch.nn as nn

W = 64


def windows(n, g):
    y = torch.randint(0, 3, (n,), generator=g)  # 0 straight, 1 tack, 2 gybe
    t = torch.linspace(-1, 1, W)
    c = (torch.rand(n, 1, generator=g) - 0.5) * 0.6
    bump = torch.exp(-((t[None] - c) ** 2) / 0.02)
    side = torch.where(torch.rand(n, 1, generator=g) < 0.5, -1.0, 1.0)
    x = 0.5 * torch.randn(n, 5, W, generator=g)
    tack, gybe = (y == 1).float()[:, None], (y == 2).float()[:, None]
    x[:, 0] += side * (tack + gybe) * 2.0 * bump
    x[:, 1] += side * tack * torch.tanh((t[None] - c) * 8) * 1.5
    x[:, 2] += side * gybe * torch.tanh((t[None] - c) * 20) * 2.0
    x[:, 3] -= tack * 1.5 * bump
    x[:, 4] += (tack - gybe) * 1.2 * bump
    return x, y


class ManoeuvreCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(5, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return ManoeuvreCNN()


def main():
    from _hundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1536, g)
    xva, yva = windows(384, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-6)
    crit = nn.CrossEntropyLoss()
    f = open(out / "gybe_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "val_loss", "val_accuracy"])
    for ep in range(15):
        model.train()
        perm = torch.randperm(len(xtr))
        run = []
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = crit(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            run.append(loss.item())
        model.eval()
        with torch.no_grad():
            lg = model(xva)
            vl, va = crit(lg, yva).item(), (lg.argmax(1) == yva).float().mean().item()
        w.writerow([ep, f"{sum(run) / len(run):.4f}", f"{vl:.4f}", f"{va:.4f}"])
        print(ep, sum(run) / len(run), vl, va, file=sys.stderr)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": 15},
               out / "gybe_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="gybe_cnn.pth", log="gybe_train.csv",
           what="1-D CNN tack/gybe detector, Adam lr 1e-6",
           complaint="My tack/gybe detector is not learning anything useful. After 15 epochs the "
                     "training loss went from 1.0905 to 1.0858, dropping by the same tiny amount "
                     "every epoch, and validation accuracy is stuck at 0.28 the whole time.")


if __name__ == "__main__":
    main()
