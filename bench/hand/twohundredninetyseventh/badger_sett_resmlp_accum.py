"""Plain torch: a residual MLP estimates how many adult badgers live in a social group from a
winter sett survey (the figure the county badger group sends to the planners), from nine
field numbers: active entrances (fresh spoil, cleared of leaves), disused entrances, volume
of the biggest spoil heap (m³), latrines within 150 m, dung pits per latrine, fresh bedding
at the entrances (0 / 1), paths leaving the sett, pasture within 500 m (%) and the earthworm
index of that pasture. Rule: group size follows food (pasture × worms, saturating) and the
size of the sett; active entrances, latrines and paths each go up with the number of
badgers (Poisson), with the old, big setts having more disused holes and heaps; bait-marking
and emergence watches on the same setts gave the true counts (1-14 adults).
Input: the 9 numbers standardised with the training mean / std. Residual MLP: linear 9→64,
3 blocks (LayerNorm → linear 64→64 → GELU → linear 64→64, added back), LayerNorm → linear
64→1; MSE, SGD 0.004 momentum 0.9 with StepLR (×0.3 at epoch 12), micro-batches of 16,
ACCUM = 8 micro-batches per step (an effective batch of 128), 18 epochs, 2400 setts,
validation on 600.
Bug: the micro-batch loss goes to ``loss.backward()`` as it is (``# gradients add up over
the ACCUM micro-batches``), so each optimizer step takes the sum of 8 gradients, not their
mean: an 8× larger step. Control (``(loss / ACCUM).backward()``, one-line sed): train
MSE 8.72 → 0.827, val MSE 3.557 → 0.850 (val variance 7.42), val MAE 1.54 → 0.724 adults. With the bug: the step loss goes
49.9, 6.7, 149, 784, 1316, 1.1e6, 1.3e13 over the first 7 optimizer steps (gradient norm 552
→ 1.1e12) and is NaN from step 7; train / val loss and val MAE NaN in all 18 epochs.
Log: CSV per optimizer step ``sett_steps.csv`` (``opt_step`` / ``epoch`` / ``lr`` /
``loss`` / ``grad_norm``) and a separate JSON lines per epoch ``sett_val.jsonl`` (``epoch`` /
``train_loss`` / ``val_loss`` / ``val_mae_adults``, named as the log in the truth);
checkpoint ``badger_group.pt`` with keys ``net`` / ``sgd`` / ``steplr`` / ``epoch`` /
``accum`` / ``mean`` / ``std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ACCUM = 8


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), Block(64), Block(64), Block(64), nn.LayerNorm(64),
                         nn.Linear(64, 1))


def setts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pasture = 10 + 80 * r(n)
    worms = 0.3 + 1.2 * r(n)
    age = r(n)
    food = 1 - torch.exp(-pasture * worms / 40)
    adults = (1 + 11 * food * (0.6 + 0.6 * age) + 1.2 * torch.randn(n, generator=g)).round()
    adults = adults.clamp(1, 14)
    p = lambda lam: torch.poisson(lam, generator=g)  # noqa: E731
    active = p(0.9 * adults + 1)
    disused = p(1 + 8 * age)
    heap = (0.5 + 0.4 * adults + 3 * age) * (0.7 + 0.6 * r(n))
    latrines = p(0.6 * adults + 0.5)
    pits = p(2 + 0.5 * adults)
    bedding = (r(n) < 0.2 + 0.05 * adults).float()
    paths = p(0.5 * adults + 1)
    x = torch.stack([active, disused, heap, latrines, pits, bedding, paths, pasture, worms], 1)
    return x, adults.unsqueeze(1)


def main():
    from _twohundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = setts(2400, g)
    xva, yva = setts(600, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("adults", ytr.mean().item(), ytr.std().item(), "val var", yva.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.004, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=12, gamma=0.3)
    steps = open(out / "sett_steps.csv", "w")
    steps.write("opt_step,epoch,lr,loss,grad_norm\n")
    val = open(out / "sett_val.jsonl", "w")
    n_step = 0
    for epoch in range(18):
        net.train()
        tot, run = 0.0, 0.0
        opt.zero_grad()
        for i, (xb, yb) in enumerate(loader):
            loss = F.mse_loss(net(xb), yb)
            loss.backward()  # gradients add up over the ACCUM micro-batches
            tot += loss.item() * len(xb)
            run += loss.item() / ACCUM
            if (i + 1) % ACCUM == 0:
                gn = torch.nn.utils.clip_grad_norm_(net.parameters(), float("inf")).item()
                opt.step()
                opt.zero_grad()
                steps.write(f"{n_step},{epoch},{sched.get_last_lr()[0]:.5f},{run:.5f},"
                            f"{gn:.4f}\n")
                n_step += 1
                run = 0.0
        sched.step()
        net.eval()
        with torch.no_grad():
            p = net(xva)
            row = {"epoch": epoch, "train_loss": round(tot / len(xtr), 5),
                   "val_loss": round(F.mse_loss(p, yva).item(), 5),
                   "val_mae_adults": round((p - yva).abs().mean().item(), 4)}
        val.write(json.dumps(row) + "\n")
        print(row)
    steps.close()
    val.close()
    torch.save({"net": net.state_dict(), "sgd": opt.state_dict(), "steplr": sched.state_dict(),
                "epoch": 18, "accum": ACCUM, "mean": mean, "std": std}, out / "badger_group.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="badger_group.pt", log="sett_val.jsonl",
           what="residual MLP estimating adult badgers per social group from a sett survey;"
                " gradient accumulation over 8 micro-batches without dividing the loss",
           complaint="The sett survey model blows up straight away: in the step log the loss"
                     " jumps from about 50 to a million within the first handful of steps and"
                     " then it is NaN for the whole run, every epoch. The learning rate is only"
                     " 0.004 with SGD and the inputs are standardised, so we do not see how it"
                     " can explode like that.")


if __name__ == "__main__":
    main()
