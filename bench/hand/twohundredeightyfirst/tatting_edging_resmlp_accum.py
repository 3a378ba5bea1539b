"""Plain torch: a residual MLP tells a tatter how long a tatted edging will come out (cm) before
she winds the shuttles, so she can pick the number of repeats for a handkerchief or a collar.
One row per finished edging from a tatting group's notebook: double stitches per ring (4-16),
double stitches per chain (3-14), picots per ring (0-5), picot length (1-8 mm), thread size
(10, 20, 40 or 80: finer thread, smaller stitches), repeats (6-30) and the tatter's own
tension (0.85 tight to 1.15 loose). Physics: a ring closes into a circle whose diameter is
its stitch length over pi, picots stand out of it; chains lie as arcs between the rings and
their chord shortens with the number of stitches (curl); one repeat = ring width + chain
chord, edging length = repeats * repeat length, 3 % measuring scatter. Target length / 100 cm.
Inputs standardised with the training rows' mean and sd. Residual MLP: 7→96 stem, three
blocks (LayerNorm-Linear-ReLU-Linear + skip), 96→1; SGD momentum 0.9, lr 0.03, micro-batches
of 16 with gradient accumulation over 8 (one step per 128 rows), 2400 edgings, validation on
600, 30 epochs.
The bug: the micro-batch loss goes into ``loss.backward()`` as it is, the mean over 16 rows,
and the 8 micro-batches add up in ``.grad``: every step is 8 times the gradient of the 128-row
batch the learning rate was picked for.
Result: the step log reads MSE 0.41, 23.2, 7.6e6, inf, then nan from the fifth optimizer step
on; every epoch's train MSE, val MSE and val MAE is nan and the saved weights are NaN.
Control (``(loss / ACCUM).backward()``): train MSE 0.125 → 0.00062, val MSE 0.0318 → 0.00070
(val MAE 14.6 → 1.96 cm).
Log: CSV per optimizer step ``edging_steps.csv`` (``step`` / ``mse``) and a CSV per epoch
``edging_epochs.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` / ``val_mae_cm``); checkpoint
``edging_resmlp.pth`` with keys ``model`` / ``sgd`` / ``x_mu`` / ``x_sd`` / ``epoch``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ACCUM = 8
SIZE_MM = {10: 0.55, 20: 0.42, 40: 0.32, 80: 0.22}  # thread diameter per size


def notebook(n, g):
    u = torch.rand(n, 6, generator=g)
    ring_ds = (4 + 13 * u[:, 0]).floor()
    chain_ds = (3 + 12 * u[:, 1]).floor()
    picots = (6 * u[:, 2]).floor()
    picot_mm = 1 + 7 * u[:, 3]
    size = torch.tensor([10, 20, 40, 80])[torch.randint(0, 4, (n,), generator=g)]
    reps = (6 + 25 * u[:, 4]).floor()
    tension = 0.85 + 0.3 * u[:, 5]
    d = torch.tensor([SIZE_MM[int(s)] for s in size])
    ds_mm = 4.2 * d * tension  # one double stitch along the core thread
    ring = ring_ds * ds_mm / math.pi + 0.6 * picots.clamp(max=2) * picot_mm / 2
    arc = chain_ds * ds_mm
    curl = 0.012 * chain_ds * tension
    chord = arc * torch.sin(curl * 10) / (curl * 10)
    length = reps * (ring + chord) / 10  # cm
    length = length * (1 + 0.03 * torch.randn(n, generator=g))
    x = torch.stack([ring_ds, chain_ds, picots, picot_mm, size.float(), reps, tension], 1)
    return x, length / 100


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.ReLU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


class EdgingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(7, 96)
        self.blocks = nn.Sequential(Block(96), Block(96), Block(96))
        self.head = nn.Linear(96, 1)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x))).squeeze(-1)


def build():
    torch.manual_seed(0)
    return EdgingNet()


def main():
    from _twohundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = notebook(2400, g)
    xva, yva = notebook(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("length cm", 100 * ytr.min().item(), 100 * ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    step = 0
    with open(out / "edging_steps.csv", "w") as fs, open(out / "edging_epochs.csv", "w") as fe:
        fs.write("step,mse\n")
        fe.write("epoch,train_mse,val_mse,val_mae_cm\n")
        for epoch in range(1, 31):
            model.train()
            tot, n, run = 0.0, 0, 0.0
            opt.zero_grad()
            for i, (xb, yb) in enumerate(loader):
                loss = F.mse_loss(model(xb), yb)
                loss.backward()
                run += loss.item() / ACCUM
                tot += loss.item() * len(yb)
                n += len(yb)
                if (i + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    step += 1
                    fs.write(f"{step},{run:.6f}\n")
                    run = 0.0
            model.eval()
            with torch.no_grad():
                p = model(xva)
                v = F.mse_loss(p, yva).item()
                mae = 100 * (p - yva).abs().mean().item()
            row = f"{epoch},{tot / n:.6f},{v:.6f},{mae:.3f}"
            print(row)
            fe.write(row + "\n")
    torch.save({"model": model.state_dict(), "sgd": opt.state_dict(), "x_mu": mu, "x_sd": sd,
                "epoch": 30}, out / "edging_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="edging_resmlp.pth", log="edging_epochs.csv",
           what="residual MLP predicting the length of a tatted edging; accumulated"
                " micro-batch losses are not divided by the number of accumulation steps",
           complaint=("Our tatting group keeps a notebook of every edging we finish and I fit a "
                      "small net on it so we can tell how many repeats a collar needs. The "
                      "loss is 0.4 on the first step, then in the twenties, then millions, and "
                      "from the fifth step on everything in the log is nan. I accumulate 8 "
                      "small batches per step because the laptop is old, and I already went "
                      "down from lr 0.03 to 0.01 with no change. What is blowing it up?"))


if __name__ == "__main__":
    main()
