"""A fault light on a control board is lit when an odd number of four particular switches
out of a 30-bit status register are on (a 4-bit parity hidden in 30 bits). An MLP learns it
from fresh register reads each step: the loss sits at ln 2 for several hundred steps, then
drops to ~0 (the known plateau of sparse parity). Adam 1e-3, batch 64, log every 50 steps
(healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

BITS, RELEVANT = 30, (3, 11, 17, 26)


def reads(n, g):
    x = torch.randint(0, 2, (n, BITS), generator=g).float() * 2 - 1  # switches as +-1
    y = (x[:, list(RELEVANT)].prod(1) < 0).float()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(BITS, 256), nn.ReLU(), nn.Linear(256, 1))


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    vx, vy = reads(2000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "steps.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "loss", "val_loss", "val_acc"])
    running = []
    for step in range(1, 3001):
        x, y = reads(64, g)
        loss = F.binary_cross_entropy_with_logits(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running.append(loss.item())
        if step % 50 == 0:
            with torch.no_grad():
                logits = model(vx).squeeze(1)
                vloss = F.binary_cross_entropy_with_logits(logits, vy).item()
                vacc = ((logits > 0).float() == vy).float().mean().item()
            w.writerow([step, sum(running) / len(running), vloss, vacc])
            running = []
    f.close()
    print("val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "parity_mlp.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=[], checkpoint="parity_mlp.pt",
           log="steps.csv", what="sparse parity: long plateau at ln 2, then a drop: healthy")


if __name__ == "__main__":
    main()
