"""Multi-task net on customer records: a 5-way segment classifier and a spend regressor on a
shared trunk. The classifier head ends in nn.Softmax and its output goes to
nn.CrossEntropyLoss, which applies log-softmax again."""
import csv

import torch
import torch.nn as nn


class MultiTask(nn.Module):
    def __init__(self, d_in=12, hidden=64, n_seg=5):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(),
                                   nn.Linear(hidden, hidden), nn.ReLU())
        self.segment = nn.Sequential(nn.Linear(hidden, n_seg), nn.Softmax(dim=1))
        self.spend = nn.Linear(hidden, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.segment(h), self.spend(h).squeeze(1)


def build():
    torch.manual_seed(0)
    return MultiTask()


def customers(n, g):
    centres = torch.randn(5, 12, generator=torch.Generator().manual_seed(42)) * 1.5
    seg = torch.randint(0, 5, (n,), generator=g)
    x = centres[seg] + torch.randn(n, 12, generator=g)
    spend = x[:, 0] * 0.5 + seg.float() * 0.3 + 0.1 * torch.randn(n, generator=g)
    return x, seg, spend


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, seg, spend = customers(3000, g)
    vx, vseg, vspend = customers(600, g)
    model = build()
    ce, mse = nn.CrossEntropyLoss(), nn.MSELoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "mt_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "seg_loss", "spend_loss", "val_loss", "val_acc"])
        for epoch in range(15):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            for i in range(0, len(x), 100):
                b = perm[i:i + 100]
                p_seg, p_spend = model(x[b])
                l_seg, l_spend = ce(p_seg, seg[b]), mse(p_spend, spend[b])
                loss = l_seg + l_spend
                opt.zero_grad()
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                p_seg, p_spend = model(vx)
                vl = (ce(p_seg, vseg) + mse(p_spend, vspend)).item()
                acc = (p_seg.argmax(1) == vseg).float().mean().item()
            w.writerow([epoch, loss.item(), l_seg.item(), l_spend.item(), vl, acc])
    print("seg loss", l_seg.item(), "val acc", acc)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "mt.pt")
    finish(out, __file__, (vx[:100], vseg[:100]), causes=["activation_before_softmax"],
           checkpoint="mt.pt", log="mt_log.csv", what="nn.Softmax head fed to CrossEntropyLoss",
           complaint="the segment loss never goes below about 0.9 even when accuracy is high")


if __name__ == "__main__":
    main()
