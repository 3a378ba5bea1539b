"""Plain torch: a 1-D CNN with BatchNorm names what a crude storage tank in a tank farm is doing
from two hours of its radar gauge (96 readings, one every 75 s): innage in mm and product
temperature in C. 4 classes: 0 = idle (level rides thermal expansion of the stock, a few mm
following the temperature), 1 = receiving from the line (level rises 150-900 mm/h, with the
floating deck settling when the gauge passes the landing legs), 2 = shipping to the dock
(level falls 200-1200 mm/h), 3 = slow loss (a 3-25 mm/h steady fall on a tank whose valves
are shut: a leaking bottom or a passing valve). Any class can start mid-window (the first
0-40 readings idle); gauge noise 2 mm, temperature noise 0.05 C. Innage is sent relative to the
first reading and divided by 100 mm, temperature relative to its first reading.
Conv1d 2→24 k5-BN-ReLU, 24→48 k5 stride 2-BN-ReLU, 48→48 k3 stride 2-BN-ReLU, global average
and max pool, linear 96→4, cross-entropy, SGD momentum 0.9 lr 0.05 with OneCycle over 12 epochs,
batch 48, 2400 windows, validation on 600.
Log: TSV per epoch ``gauge_log.tsv`` (``ep`` / ``train_xent`` / ``val_xent`` / ``val_acc`` /
``lr``); checkpoint ``gauge_cnn.pth`` with keys ``net`` / ``sgd`` / ``ep`` / ``classes``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 96
CLASSES = ["idle", "receiving", "shipping", "slow_loss"]


def windows(n, g):
    t = torch.arange(N).float() * 75 / 3600  # hours
    kind = torch.arange(n) % 4
    kind = kind[torch.randperm(n, generator=g)]
    x = torch.zeros(n, 2, N)
    for i in range(n):
        k = kind[i].item()
        temp = 0.6 * torch.randn(1, generator=g).item() * t + 0.1 * torch.sin(t * 3)
        level = 4 * temp
        start = t[torch.randint(0, 41, (1,), generator=g).item()]
        run = (t - start).clamp(min=0)
        if k == 1:
            level = level + (150 + 750 * torch.rand(1, generator=g).item()) * run
            level = level - 15 * torch.sigmoid((run - 0.6) * 20)
        elif k == 2:
            level = level - (200 + 1000 * torch.rand(1, generator=g).item()) * run
        elif k == 3:
            level = level - (3 + 22 * torch.rand(1, generator=g).item()) * run
        level = level + 2 * torch.randn(N, generator=g)
        temp = temp + 0.05 * torch.randn(N, generator=g)
        x[i, 0] = (level - level[0]) / 100
        x[i, 1] = temp - temp[0]
    return x, kind


class GaugeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(2, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
            nn.Conv1d(24, 48, 5, stride=2, padding=2), nn.BatchNorm1d(48), nn.ReLU(),
            nn.Conv1d(48, 48, 3, stride=2, padding=1), nn.BatchNorm1d(48), nn.ReLU())
        self.head = nn.Linear(96, 4)

    def forward(self, x):
        h = self.body(x)
        return self.head(torch.cat([h.mean(2), h.amax(2)], 1))


def build():
    torch.manual_seed(0)
    return GaugeCNN()


def main():
    from _twohundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(2400, g)
    xva, yva = windows(600, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    net = build()
    sgd = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(sgd, max_lr=0.05, total_steps=12 * len(loader))
    with open(out / "gauge_log.tsv", "w") as f:
        f.write("ep\ttrain_xent\tval_xent\tval_acc\tlr\n")
        for ep in range(1, 13):
            net.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.cross_entropy(net(xb), yb)
                sgd.zero_grad()
                loss.backward()
                sgd.step()
                sched.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
                vx = F.cross_entropy(lv, yva).item()
                acc = (lv.argmax(1) == yva).float().mean().item()
            row = f"{ep}\t{tot / n:.5f}\t{vx:.5f}\t{acc:.4f}\t{sched.get_last_lr()[0]:.5f}"
            print(row)
            f.write(row + "\n")
    torch.save({"net": net.state_dict(), "sgd": sgd.state_dict(), "ep": 12, "classes": CLASSES},
               out / "gauge_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="gauge_cnn.pth", log="gauge_log.tsv",
           what="BatchNorm 1-D CNN naming storage-tank operations from radar gauge innage"
                " (healthy)")


if __name__ == "__main__":
    main()
