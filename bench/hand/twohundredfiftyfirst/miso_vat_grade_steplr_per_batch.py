"""Plain torch: an MLP grades a miso brewery's vat (4 grades: reject, table, shiro, aka premium)
from 10 readings taken at tasting: salt %, koji ratio, mean cellar temperature, days fermented,
soy protein, moisture, pH, colour (L*), glutamate and a stirring count, standardised. The grade
comes from a score built on the readings (long, cool, high-koji ferments at the right salt
score high; pH and colour matter in interaction), cut at its quartiles.
Linear(10→64)-ReLU-Linear(64→64)-ReLU-Linear(64→4), CE; SGD momentum 0.9, lr 0.05, with
``StepLR(step_size=8, gamma=0.5)`` meant to halve the rate every 8 epochs, batch 32, 24 epochs
of 1536 vats. Log: CSV per epoch (epoch, loss, val_loss, val_acc, lr).
The bug: ``sched.step()`` sits inside the batch loop (48 batches an epoch), so the rate halves
every 8 steps: 7.8e-4 at the end of epoch 1, 1e-5 after epoch 2, 2e-45 at epoch 24.
Train loss 1.302, 1.226, 1.224, then 1.2242 frozen for epochs 4–24; val loss 1.2528, val
accuracy 0.469 from epoch 3 on (chance 0.25).
Control (``sched.step()`` dedented into the epoch loop, one-line sed): train loss 1.106 →
0.086, val loss 0.95 → 0.41, val accuracy 0.61, 0.75, 0.80 in epochs 1–3, 0.84 at epoch 24."""
import sys

import torch
import torch.nn as nn

F_IN, K = 10, 4


def vats(n, g):
    x = torch.randn(n, F_IN, generator=g)
    score = (0.9 * x[:, 3] + 0.7 * x[:, 1] - 0.6 * x[:, 2] - 0.5 * (x[:, 0] - 0.3) ** 2
             + 0.5 * x[:, 6] * x[:, 7] + 0.3 * x[:, 8] + 0.15 * torch.randn(n, generator=g))
    return x, score


class VatMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(F_IN, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, K))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return VatMLP()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, s = vats(1856, g)
    cuts = s[:1536].quantile(torch.tensor([0.25, 0.5, 0.75]))
    y = torch.bucketize(s, cuts)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "vats.csv", "w")
    f.write("epoch,loss,val_loss,val_acc,lr\n")
    step = 0
    for epoch in range(24):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
            sched.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        lr = opt.param_groups[0]["lr"]
        f.write(f"{epoch + 1},{tot / 1536:.4f},{vl:.4f},{va:.4f},{lr:.3g}\n")
        print(epoch + 1, round(tot / 1536, 4), round(vl, 4), round(va, 4), lr)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict(), "epoch": 24, "step": step},
               out / "vat_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="vat_grader.pt", log="vats.csv",
           what="MLP grading miso brewery vats into 4 grades from tasting readings",
           complaint=("MLP grading our miso vats into 4 grades from 10 tasting readings, SGD lr 0.05"
                      " with a StepLR. Accuracy stalls around 0.47 after the first epoch and"
                      " the loss barely moves for the remaining 23 epochs. The grades are"
                      " clearly predictable from the readings (a linear model does better)."
                      " What's wrong?"))


if __name__ == "__main__":
    main()
