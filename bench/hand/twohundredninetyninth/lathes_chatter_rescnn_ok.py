"""Plain torch: a residual 1-D CNN with batch norm reads 0.13 s of the tool-post accelerometer
(128 samples at 1 kHz, after the anti-alias filter) during a turning pass and tells the lathe
operator what the vibration is: 0 stable cut (broadband noise and a weak spindle harmonic),
1 forced vibration (a strong line at the spindle frequency or its second harmonic, 8-40 Hz,
steady amplitude: an unbalanced chuck or a bent bar), 2 regenerative chatter (a line near the
tool holder's natural mode, 180-260 Hz, whose amplitude grows through the window and
saturates, with its spindle-frequency sidebands). Sensor noise and a drifting offset on all.
Input: (1, 128) acceleration / 2 g.
Stem Conv1d 1→24 k7 + BN + ReLU, three residual blocks (two Conv k5 + BN, identity or 1×1
stride-2 shortcut; 24, 48, 48 channels), global average → Linear 48→3, cross-entropy with
label smoothing 0.05, SGD 0.03 momentum 0.9 nesterov, OneCycleLR (max 0.1), batch 40, 8
epochs, 1200 passes, validation on 480.
Healthy; numbers in the README.
Log: TSV per epoch ``chatter_epochs.tsv`` (``epoch`` / ``lr`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_chatter_recall``); checkpoint ``chatter_rescnn.ckpt`` with keys ``net``
/ ``sgd`` / ``onecycle`` / ``epoch`` / ``classes`` / ``fs_hz``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N, FS = 128, 1000.0
CLASSES = ["stable", "forced", "chatter"]


def passes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    k = torch.randint(0, 3, (n,), generator=g)
    t = torch.arange(N) / FS
    fsp = 8 + 32 * r(n, 1)
    spindle = 0.15 * torch.sin(2 * torch.pi * fsp * t + 6.3 * r(n, 1))
    forced = (0.4 + 0.6 * r(n, 1)) * torch.sin(2 * torch.pi * fsp * (1 + (r(n, 1) < 0.4)) * t
                                                + 6.3 * r(n, 1))
    fn = 180 + 80 * r(n, 1)
    grow = torch.tanh(torch.exp((3 + 3 * r(n, 1)) * t / t[-1]) / 30)
    chat = 1.2 * grow * torch.sin(2 * torch.pi * fn * t + 6.3 * r(n, 1))
    chat = chat * (1 + 0.3 * torch.sin(2 * torch.pi * fsp * t))
    x = spindle + forced * (k == 1).unsqueeze(1) + chat * (k == 2).unsqueeze(1)
    x = x + 0.45 * torch.randn(n, N, generator=g) + 0.3 * (r(n, 1) - 0.5) * (1 + t / t[-1])
    return (x / 2).unsqueeze(1), k


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv1d(cin, cout, 5, stride, 2, bias=False)
        self.b1 = nn.BatchNorm1d(cout)
        self.c2 = nn.Conv1d(cout, cout, 5, 1, 2, bias=False)
        self.b2 = nn.BatchNorm1d(cout)
        self.skip = (nn.Identity() if stride == 1 and cin == cout else
                     nn.Sequential(nn.Conv1d(cin, cout, 1, stride, bias=False), nn.BatchNorm1d(cout)))

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        return F.relu(self.b2(self.c2(h)) + self.skip(x))


class ChatterNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(1, 24, 7, padding=3, bias=False),
                                  nn.BatchNorm1d(24), nn.ReLU())
        self.blocks = nn.Sequential(Block(24, 24, 1), Block(24, 48, 2), Block(48, 48, 2))
        self.fc = nn.Linear(48, 3)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(-1))


def build():
    torch.manual_seed(0)
    return ChatterNet()


def main():
    from _twohundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = passes(1200, g)
    xva, yva = passes(480, g)
    print("classes", torch.bincount(ytr), "std", xtr.std().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=8 * len(loader))
    log = open(out / "chatter_epochs.tsv", "w")
    log.write("epoch\tlr\ttrain_ce\tval_ce\tval_acc\tval_chatter_recall\n")
    for epoch in range(8):
        net.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(net(xb), yb, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(xb)
        net.eval()
        with torch.no_grad():
            lo = net(xva)
        pred = lo.argmax(1)
        rec = ((pred == 2) & (yva == 2)).sum().item() / (yva == 2).sum().item()
        row = (f"{epoch}\t{sched.get_last_lr()[0]:.5f}\t{tot / len(xtr):.5f}\t"
               f"{F.cross_entropy(lo, yva).item():.5f}\t{(pred == yva).float().mean().item():.4f}"
               f"\t{rec:.4f}")
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"net": net.state_dict(), "sgd": opt.state_dict(), "onecycle": sched.state_dict(),
                "epoch": 8, "classes": CLASSES, "fs_hz": FS}, out / "chatter_rescnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="chatter_rescnn.ckpt", log="chatter_epochs.tsv",
           what="residual 1-D CNN with batch norm telling stable cut / forced vibration /"
                " regenerative chatter from a lathe tool-post accelerometer (healthy)")


if __name__ == "__main__":
    main()
