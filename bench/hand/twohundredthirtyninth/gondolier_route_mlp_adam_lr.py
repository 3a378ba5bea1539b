"""Plain torch: an MLP predicts which of 4 canal routes a Venice gondolier will take from 14
numbers about the booking (tide height, time of day, passengers, hotel district, boat traffic,
a photographer requested, ...). The route is the argmax of a fixed random nonlinear mix of the
features. MLP 14-64-64-4, Adam, batch 64, 10 epochs of 2048 bookings, cross-entropy.
Checkpoint ``{"net", "opt", "epoch"}``, TSV per epoch (``epoch`` / ``train_ce`` / ``val_ce`` /
``val_acc``).
The bug: ``torch.optim.Adam(net.parameters(), lr=0.5)``, the learning rate of the SGD script the
loop was copied from. Train CE 8.45 in epoch 1, then 1.37-1.48 (chance ln 4 = 1.386); val
accuracy 0.16-0.33, 0.32 at epoch 10. Control (``lr=0.005``): val accuracy 0.87, val CE 0.349."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def bookings(n, g):
    x = torch.randn(n, 14, generator=g)
    w1 = torch.randn(14, 16, generator=torch.Generator().manual_seed(11))
    w2 = torch.randn(16, 4, generator=torch.Generator().manual_seed(12))
    return x, (torch.tanh(x @ w1 / 2) @ w2).argmax(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bookings(2048, g)
    xva, yva = bookings(256, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=0.5)
    lines = ["epoch\ttrain_ce\tval_ce\tval_acc"]
    for epoch in range(10):
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() / 32
        with torch.no_grad():
            lv = net(xva)
        lines.append(f"{epoch + 1}\t{tot:.4f}\t{F.cross_entropy(lv, yva).item():.4f}\t"
                     f"{(lv.argmax(1) == yva).float().mean().item():.4f}")
        print(lines[-1])
    (out / "routes.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 10},
               out / "route_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="route_mlp.pt", log="routes.tsv",
           what="MLP predicting a gondolier's canal route from the booking",
           complaint="Gondola route model: the loss jumps around instead of going down and the "
                     "validation accuracy sits at a level any majority guess would give, "
                     "epoch after epoch. The same data worked in my old script. What's off?")


if __name__ == "__main__":
    main()
