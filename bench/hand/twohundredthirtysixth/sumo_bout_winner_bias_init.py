"""Plain torch: an MLP predicts who wins a sumo bout (east or west rikishi) from 14 numbers a
stable's analyst keeps per bout: for each wrestler weight, height, rank, wins in the last 5
bouts, tachiai speed, belt-grip preference, and days since injury (standardised). The winner
comes from the differences of the two wrestlers' numbers through a nonlinear strength score,
with 5 % upsets. MLP 14-64-64-32-1 with ``BCEWithLogitsLoss``, Adam 1e-3, batch 64, 20 epochs
of 2048 bouts; TSV log per epoch (ep, train_bce, val_bce, val_acc).
The bug: an ``init_weights`` helper written to "start sparse" sets every bias to -3 after He
init (``nn.init.constant_(m.bias, -3.0)``): almost no unit of the first layer is ever positive
and the deeper layers get all-zero inputs, so every ReLU is dead from step 0 and nothing
upstream of the output gets a gradient; only the output bias moves. Numbers: train BCE
1.60 → 1.33, val BCE 1.49 → 1.24, val accuracy 0.516 (the majority share) at every one of the
20 epochs. Control (sed ``s/nn.init.constant_(m.bias, -3.0)$/nn.init.constant_(m.bias,
0.0)/``): val BCE 0.57 after epoch 1, 0.44–0.46 from epoch 10, val accuracy 0.83."""
import sys

import torch
import torch.nn as nn


def bouts(n, g):
    east, west = torch.randn(n, 7, generator=g), torch.randn(n, 7, generator=g)

    def strength(r):
        return (0.8 * r[:, 0] + 0.5 * r[:, 1] * r[:, 4] - 0.9 * r[:, 2] + 0.6 * r[:, 3]
                + 0.7 * torch.tanh(2 * r[:, 4]) - 0.4 * r[:, 6].clamp(max=0) ** 2)
    p = torch.sigmoid(3 * (strength(east) - strength(west)))
    y = (torch.rand(n, generator=g) < p).float()
    upset = torch.rand(n, generator=g) < 0.05
    return torch.cat([east, west], 1), torch.where(upset, 1 - y, y)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -3.0)


def build():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                        nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    net.apply(init_weights)
    return net


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = bouts(2048, g)
    xva, yva = bouts(512, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    lines = ["ep\ttrain_bce\tval_bce\tval_acc"]
    for ep in range(1, 21):
        net.train()
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = bce(net(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * 64
        net.eval()
        with torch.no_grad():
            z = net(xva).squeeze(1)
            vl, va = bce(z, yva).item(), ((z > 0).float() == yva).float().mean().item()
        lines.append(f"{ep}\t{tot / 2048:.4f}\t{vl:.4f}\t{va:.4f}")
        print(lines[-1])
    (out / "bouts.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "ep": 20},
               out / "bout_winner.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="bout_winner.pth", log="bouts.tsv",
           complaint="My sumo bout predictor: val accuracy 0.516 at every single one of 20 epochs, "
                     "BCE only creeps 1.60 -> 1.33. Adam 1e-3, data looks fine, what's wrong?",
           what="MLP sumo bout winner, ReLU net with every unit inactive from the start")


if __name__ == "__main__":
    main()
