"""Plain torch: an MLP calls a dim sum steamer basket's har gow as under-steamed / done /
over-steamed from 10 steamer readings (steam temperature, minutes in, basket tier, lid
openings, dough thickness …); the class comes from a cooked-ness score (heat × time minus tier
and thickness). MLP 10 → 64 ×10 hidden layers → 3, SGD lr 0.05 momentum 0.9, batch 64, 12
epochs of 2048 baskets. Checkpoint ``{"state_dict", "optimizer", "step", "epoch"}``, CSV log
per step (step, epoch, loss) with val_loss / val_acc on each epoch's last row.

Bug: the ten hidden layers use ``nn.Sigmoid()`` (copied from the old two-layer version); the
gradient reaching the first layers shrinks by about 4× per layer and the net never leaves the
class prior: per-step train loss 1.03–1.18 throughout, val loss 1.097 → 1.083, val acc 0.424
(the majority class; 0.283 at epochs 7–8) at every epoch. Control (``nn.ReLU()``): val loss
0.479 → 0.257 (epoch 4) → 0.278, val acc 0.77 → 0.88 → 0.89 at epoch 12 (best 0.916)."""
import sys

import torch
import torch.nn as nn

DEPTH = 10


def baskets(n, g):
    x = torch.randn(n, 10, generator=g)
    score = 1.2 * x[:, 0] + 1.0 * x[:, 1] - 0.6 * x[:, 2] - 0.5 * x[:, 3] + 0.4 * x[:, 0] * x[:, 1]
    score = score + 0.2 * torch.randn(n, generator=g)
    y = (score > -0.6).long() + (score > 0.9).long()
    return x, y


def build():
    torch.manual_seed(0)
    layers, width = [nn.Linear(10, 64), nn.Sigmoid()], 64
    for _ in range(DEPTH - 1):
        layers += [nn.Linear(width, width), nn.Sigmoid()]
    layers.append(nn.Linear(width, 3))
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = baskets(2048, g)
    xva, yva = baskets(512, g)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
    rows, step = ["step,epoch,loss,val_loss,val_acc"], 0
    for epoch in range(12):
        perm = torch.randperm(2048, generator=g)
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = nn.functional.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            rows.append(f"{step},{epoch + 1},{loss.item():.4f},,")
        with torch.no_grad():
            lv = net(xva)
            vl = nn.functional.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        rows[-1] = f"{step},{epoch + 1},{loss.item():.4f},{vl:.4f},{va:.4f}"
        print(epoch + 1, rows[-1])
    (out / "steamer_log.csv").write_text("\n".join(rows) + "\n")
    torch.save({"state_dict": net.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 12}, out / "steamer_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="steamer_mlp.pt", log="steamer_log.csv",
           what="10-hidden-layer sigmoid MLP calling har gow steaming (under / done / over)",
           complaint="My har gow steaming classifier sits at 42% val accuracy for all 12 epochs, "
                     "val loss only goes 1.10 to 1.08. Same data, it's just a deeper MLP than "
                     "last month's 2-layer one. Is it the SGD lr?")


if __name__ == "__main__":
    main()
