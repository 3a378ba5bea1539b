"""Plain torch: a residual 1-D CNN with batch norm counts the turbidites in a 48 cm section of a
deep-sea sediment core from its XRF core-scanner profile (Ca, Ti and Fe counts every 5 mm, 96
points). Background is a hemipelagic carbonate ooze: high Ca, low Ti, slow wiggles.
A turbidite is a graded bed: a sharp base with a Ti and Fe spike from the terrigenous sand,
fining upward (Ti decays over 2-8 cm), Ca dropping out of the whole bed, then the ooze coming
back. 0-5 turbidites per section, some of them thin and amalgamated with the one below.
Scanner scatter 0.08 on the standardised counts, and each section has its own water and
porosity offset on all three elements.
Input: (3, 96) log-ratios scaled per element. ResNet-style: Conv1d 3→24 k5-BN-ReLU, 2
residual blocks (two Conv1d 24→24 k5-BN with a skip), global average pool, Linear 24→1;
target turbidite count / 5; MSE, SGD 0.05 momentum 0.9 with CosineAnnealingLR over 10 epochs,
batch 64, 10 epochs, 1600 sections, validation on 400.
Healthy; numbers in the README.
Log: TSV per epoch ``core_epochs.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_count_mae`` / ``val_exact``); checkpoint ``turbidite_rescnn.pt`` with keys ``weights``
/ ``optimiser_state`` / ``scheduler_state`` / ``epoch`` / ``elements`` / ``count_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 96
ELEMENTS = ["Ca", "Ti", "Fe"]


def sections(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = torch.arange(N).float()
    count = torch.randint(0, 6, (n,), generator=g)
    ca = 1.0 + 0.15 * torch.sin(2 * torch.pi * z / (30 + 30 * r(n, 1)) + 6 * r(n, 1))
    ti = 0.2 + 0.05 * torch.sin(2 * torch.pi * z / 40 + 6 * r(n, 1))
    fe = 0.3 + 0.05 * r(n, 1).expand(n, N)
    ti, fe = ti.clone(), fe.clone()
    for c in range(5):
        on = (count > c).float().unsqueeze(1)
        base = (r(n, 1) * (N - 6)).floor()
        thick = 4 + 12 * r(n, 1)
        above = (z - base)
        bed = ((above >= 0) & (above < thick)).float() * on
        grade = torch.exp(-above.clamp(min=0) / (thick / 3)) * bed
        ti = ti + 0.9 * grade
        fe = fe + 0.5 * grade
        ca = ca * (1 - 0.7 * bed)
    off = 0.2 * (r(n, 1) - 0.5)
    x = torch.stack([ca + off, ti + off, fe + off], 1) + 0.08 * torch.randn(n, 3, N, generator=g)
    return x, (count.float() / 5).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1, self.b1 = nn.Conv1d(c, c, 5, padding=2, bias=False), nn.BatchNorm1d(c)
        self.c2, self.b2 = nn.Conv1d(c, c, 5, padding=2, bias=False), nn.BatchNorm1d(c)

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        return F.relu(x + self.b2(self.c2(h)))


class TurbiditeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(3, 24, 5, padding=2, bias=False),
                                  nn.BatchNorm1d(24), nn.ReLU())
        self.blocks = nn.Sequential(Block(24), Block(24))
        self.fc = nn.Linear(24, 1)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(2))


def build():
    torch.manual_seed(0)
    return TurbiditeNet()


def main():
    from _twohundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sections(1600, g)
    xva, yva = sections(400, g)
    print("target var", ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    log = open(out / "core_epochs.tsv", "w")
    log.write("epoch\tlr\ttrain_mse\tval_mse\tval_count_mae\tval_exact\n")
    for epoch in range(10):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(xva)
        cnt = (p * 5).round()
        row = [epoch, f"{lr:.5f}", f"{tot / len(xtr):.5f}", f"{F.mse_loss(p, yva).item():.5f}",
               f"{(5 * (p - yva)).abs().mean().item():.4f}",
               f"{(cnt == (yva * 5).round()).float().mean().item():.4f}"]
        log.write("\t".join(map(str, row)) + "\n")
        print(row)
    log.close()
    torch.save({"weights": model.state_dict(), "optimiser_state": opt.state_dict(),
                "scheduler_state": sched.state_dict(), "epoch": 10, "elements": ELEMENTS,
                "count_scale": 5}, out / "turbidite_rescnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="turbidite_rescnn.pt", log="core_epochs.tsv",
           what="residual 1-D CNN counting turbidites in a sediment core section from its XRF"
                " scan (healthy)")


if __name__ == "__main__":
    main()
