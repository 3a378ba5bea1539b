"""Plain torch: an embedding model for returns processing decides at the returns desk whether
a returned item goes to refurbishment (1) or is sold off as-is in a bulk lot (0). Inputs:
product category (30, embedded to 8), return reason code (8: changed mind, wrong size, arrived
damaged, faulty, missing parts, late delivery, not as described, other; embedded to 4), price
(log), days since purchase / 30, box opened (0/1), damage score from the intake photo (0-1).
Rule: refurbish when the expected resale value (price × the category's resale factor ×
(1 - 0.6 · damage), less for old items) beats the reason's repair cost (high for faulty /
missing parts, small for changed mind) plus a handling cost, with 5 % of labels flipped
(graders disagree).
Embeddings + numerics → linear 16→64-ReLU-64→32-ReLU-32→1 logit; the log-likelihood is written
out by hand, SGD Nesterov momentum 0.9 lr 0.05, batch 128, 12 epochs, 4000 returns, validation
on 800.
The bug: ``loss = (y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean()`` is the
log-likelihood without its minus sign, so SGD drives the logits away from the labels.
Result: step loss -0.69, -0.73, -1.00, -3.28, -305 at step 25, NaN from step 30; val BCE
NaN every epoch, val accuracy 0.6575 (every item to the bulk lot, the majority).
Control (``loss = -(...)``): val BCE 0.572 → 0.258, val accuracy 0.66 → 0.914.
Log: CSV every 5 steps ``refurb_steps.csv`` (``step`` / ``loss``) and a separate per-epoch
validation file ``refurb_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_refurb_rate``);
checkpoint ``refurb_embed.pt`` with keys ``net`` / ``optim`` / ``n_epochs`` /
``price_log_mean``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

REPAIR = torch.tensor([0.05, 0.05, 0.35, 0.6, 0.45, 0.02, 0.2, 0.15])


def returns(n, g, resale):
    cat = torch.randint(0, 30, (n,), generator=g)
    reason = torch.randint(0, 8, (n,), generator=g)
    price = torch.exp(2.5 + 2.5 * torch.rand(n, generator=g))
    days = 60 * torch.rand(n, generator=g)
    opened = (torch.rand(n, generator=g) < 0.6).float()
    damage = torch.rand(n, generator=g) ** 2
    value = price * resale[cat] * (1 - 0.6 * damage) * (1 - 0.004 * days) * (1 - 0.1 * opened)
    cost = REPAIR[reason] * price + 12
    y = (value > cost).float()
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, 1 - y, y)
    num = torch.stack([price.log() - 3.75, days / 30, opened, damage], 1)
    return cat, reason, num, y


class RefurbNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.cat = nn.Embedding(30, 8)
        self.reason = nn.Embedding(8, 4)
        self.mlp = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, cat, reason, num):
        return self.mlp(torch.cat([self.cat(cat), self.reason(reason), num], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return RefurbNet()


def main():
    from _twohundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    resale = 0.3 + 0.6 * torch.rand(30, generator=g)
    ctr, rtr, ntr, ytr = returns(4000, g, resale)
    cva, rva, nva, yva = returns(800, g, resale)
    print("refurb share", ytr.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(ctr, rtr, ntr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    step = 0
    with open(out / "refurb_steps.csv", "w") as fs, open(out / "refurb_val.csv", "w") as fv:
        fs.write("step,loss\n")
        fv.write("epoch,val_bce,val_acc,val_refurb_rate\n")
        for epoch in range(1, 13):
            model.train()
            for cb, rb, nb, y in loader:
                z = model(cb, rb, nb)
                # log-likelihood of the grader's call
                loss = (y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 5 == 0:
                    fs.write(f"{step},{loss.item():.5f}\n")
            model.eval()
            with torch.no_grad():
                z = model(cva, rva, nva)
                bce = F.binary_cross_entropy_with_logits(z, yva).item()
                acc = ((z > 0).float() == yva).float().mean().item()
                rate = (z > 0).float().mean().item()
            fv.write(f"{epoch},{bce:.5f},{acc:.4f},{rate:.4f}\n")
            print(epoch, round(bce, 4), round(acc, 4), round(rate, 4), round(loss.item(), 4))
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "n_epochs": 12,
                "price_log_mean": 3.75}, out / "refurb_embed.pt")
    finish(out, __file__, {"inputs": cva[:64], "reason": rva[:64], "num": nva[:64],
                          "targets": yva[:64]},
           causes=["loss_sign_error"], checkpoint="refurb_embed.pt", log="refurb_val.csv",
           what="embedding model deciding refurbish vs bulk lot at a returns desk;"
                " hand-written log-likelihood minimised without its minus sign",
           complaint="Our returns desk model is supposed to say which returned items are worth"
                     " refurbishing. The training loss goes negative right away, drops to"
                     " minus several hundred within about 25 steps and then shows NaN for the"
                     " rest of the run; validation says NaN too and the model sends every item"
                     " to the bulk lot. Labels were checked by two graders. What is going on?")


if __name__ == "__main__":
    main()
