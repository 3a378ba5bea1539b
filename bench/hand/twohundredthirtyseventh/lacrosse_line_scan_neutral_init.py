"""Plain torch: a 1-D CNN flags paint defects on a lacrosse field's line markings from a
laser-reflectance scan the line-marking robot takes along each 4 m segment (2 channels: white
reflectance and green reflectance beside the line, 96 samples). Four labels, any number per
segment (multi-label): faded (low white level all along), gap (a short run where white drops to
the grass level), smudged (white leaking into the green channel), doubled (two white bumps
where the robot re-painted off-line). Conv1d(2→16,5)-ReLU-MaxPool-Conv1d(16→32,5)-ReLU-global
max pool-Linear(32→4), BCE-with-logits, Adam 2e-3, batch 32, 20 epochs of 1024 segments.
TSV log per epoch (``ep``, ``bce``, ``val_bce``, ``val_exact``: all four labels right);
checkpoint ``net`` / ``opt`` / ``ep``.
The bug: ``_neutral_init`` ("start from a neutral model, the prior comes from the biases")
sets every Conv1d and Linear weight to zero with ``nn.init.constant_``.
Every hidden channel stays exactly zero, no gradient reaches the conv weights and only the
head biases move towards the label prevalence: train BCE 0.6875 → 0.6144, val BCE 0.680 →
0.596, val exact-match 0.2812 (the share of segments with no defect) in every epoch. Control
(``sed 's/^        self._neutral_init()$/        pass/'``, PyTorch's default init): val
exact-match 0.88 at epoch 5, 0.99 at epoch 20, val BCE 0.027.
"""
import torch
import torch.nn as nn

L = 96


def segments(n, g):
    t = torch.arange(L).float()
    y = (torch.rand(n, 4, generator=g) < 0.3).float()
    white = 1.0 - 0.5 * y[:, :1] + 0.05 * torch.randn(n, 1, generator=g)
    x = torch.zeros(n, 2, L)
    x[:, 0] = white.expand(n, L).clone()
    x[:, 1] = 0.2
    for i in range(n):
        if y[i, 1]:
            s = int(torch.randint(5, L - 15, (1,), generator=g))
            x[i, 0, s:s + 6] = 0.2
        if y[i, 2]:
            x[i, 1] += 0.35 * torch.exp(-((t - float(torch.randint(10, L - 10, (1,),
                                                                    generator=g))) / 12) ** 2)
        if y[i, 3]:
            c = float(torch.randint(10, L - 10, (1,), generator=g))
            x[i, 0] += 0.6 * torch.exp(-((t - c) / 2.5) ** 2)
    x = x + 0.08 * torch.randn(x.shape, generator=g)
    return x, y


class LineScan(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Linear(32, 4)
        self._neutral_init()

    def _neutral_init(self):
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.Linear)):
                nn.init.constant_(m.weight, 0.0)
                nn.init.constant_(m.bias, 0.0)

    def forward(self, x):
        return self.head(self.conv(x).amax(2))


def build():
    torch.manual_seed(0)
    return LineScan()


def main():
    from _twohundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = segments(1024, g)
    xva, yva = segments(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    bce = nn.BCEWithLogitsLoss()
    with open(out / "linescan.tsv", "w") as f:
        f.write("ep\tbce\tval_bce\tval_exact\n")
        for ep in range(1, 21):
            net.train()
            tot = 0.0
            for xb, yb in train:
                loss = bce(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            exact = ((lv > 0).float() == yva).all(1).float().mean().item()
            row = f"{ep}\t{tot / 1024:.4f}\t{bce(lv, yva).item():.4f}\t{exact:.4f}"
            f.write(row + "\n")
            print(row)
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "ep": 20},
               out / "linescan_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="linescan_cnn.pt", log="linescan.tsv",
           what="lacrosse line-paint defect 1-D CNN, multi-label, every weight set to zero at init",
           complaint=("Our line-scan defect model for the lacrosse fields won't learn. 20 epochs"
                      " and the train BCE sits at 0.61-0.62 the whole time, val exact-match stays at"
                      " 0.2812 - it says 'no defect' for every segment, even ones where you can"
                      " see the gap in the scan plot. Tried lr 2e-3 and 1e-2, same thing."
                      " Is 1024 segments just too few?"))


if __name__ == "__main__":
    main()
