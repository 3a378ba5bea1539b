"""Plain torch: a plain MLP (multi-label) tells a higgler, before his weekly round with the
cart, which of six goods each farm on it will have for him: eggs, butter, fowls, rabbits,
honey, cheese. 9 inputs per farm and week: week of the year (as sin / cos), laying hens,
milking cows, acres of grass, hives, distance to the warren (miles), whether the farm
sold to him last week, and the week's rain (inches). The rules behind the labels: eggs
when the flock lays (more than 8 hens, fewer in the dark weeks), butter when the cows are
in milk on grass (spring-summer flush, enough cows), fowls when there are cockerels to spare
(big flocks, late summer and autumn), rabbits in the cold months near a warren, honey after
the heather and clover flow if there are hives, cheese from farms with a herd and surplus
milk; a farm that sold last week has less put by, and a wet week cuts eggs and honey; 5 %
of the farm-weeks answer otherwise.
Input: (9,) standardised with the train mean / std. Model: 9→64→ReLU→64→ReLU→6 logits.
Hand-written Bernoulli log-likelihood, Adam 1e-3, batch 50, 16 epochs, 3000
farm-weeks, validation on 750.
The bug: the loss is the basket's log-likelihood itself, ``loss = (yb * F.logsigmoid(z) +
(1 - yb) * F.logsigmoid(-z)).mean()``, without the minus, so SGD drives the likelihood down:
every logit is pushed away from its label, train loss -0.72 at step 0 → -2.6e4 (falling
without bound), val BCE 4.2 → 2.6e4, val accuracy (all labels) 0.262 and val F1 0.356 at
every epoch (control, ``loss = -(yb * ...``: val BCE 0.47 → 0.28, accuracy 0.78 → 0.91,
F1 0.52 → 0.85).
Log: JSON lines ``round_log.jsonl``: ``{"step", "nll"}`` every 20 steps and
``{"epoch", "val_bce", "val_acc", "val_f1", "val_acc_eggs"}`` at each epoch's end;
checkpoint ``basket_mlp.pt`` with keys ``params`` / ``adam`` / ``epoch`` / ``goods`` /
``feat_mean`` / ``feat_std``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GOODS = ["eggs", "butter", "fowls", "rabbits", "honey", "cheese"]


def farm_weeks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    week = torch.randint(0, 52, (n,), generator=g).float()
    ang = 2 * math.pi * week / 52
    summer = -torch.cos(ang)  # +1 in July, -1 in January
    hens = torch.poisson(4 + 30 * r(n), generator=g)
    cows = torch.poisson(0.5 + 8 * r(n) ** 2, generator=g)
    acres = 5 + 60 * r(n)
    hives = torch.where(r(n) < 0.35, torch.poisson(1 + 4 * r(n), generator=g), torch.zeros(n))
    warren = 0.2 + 4 * r(n)
    sold = (r(n) < 0.5).float()
    rain = -torch.log(r(n)) * (0.6 - 0.3 * summer)
    eggs = hens - 8 - 6 * (summer < -0.5).float() - 4 * sold - 3 * rain > 0
    butter = (cows >= 2) & (summer + 0.02 * acres - 0.3 * sold > 0.4)
    fowls = (hens > 18) & (torch.sin(ang - 1.8) > 0.1)
    rabbits = (warren < 2.0) & (summer < -0.2)
    honey = (hives > 0) & (torch.sin(ang - 2.6) > 0.5) & (rain < 1.0)
    cheese = (cows >= 5) & (summer > -0.3 - 0.05 * cows + 0.3 * sold)
    y = torch.stack([eggs, butter, fowls, rabbits, honey, cheese], 1).float()
    flip = r(n, 6) < 0.05
    y = torch.where(flip, 1 - y, y)
    x = torch.stack([torch.sin(ang), torch.cos(ang), hens, cows, acres, hives, warren, sold,
                     rain], 1)
    return x, y


class BasketMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 6))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return BasketMLP()


def main():
    from _threehundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = farm_weeks(3000, g)
    rva, yva = farm_weeks(750, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("label rates", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "round_log.jsonl", "w") as log:
        for epoch in range(16):
            model.train()
            for xb, yb in dl:
                z = model(xb)
                loss = (yb * F.logsigmoid(z) + (1 - yb) * F.logsigmoid(-z)).mean()  # log-likelihood of the basket
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 20 == 0:
                    log.write(json.dumps({"step": step, "nll": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                z = model(xva)
            pred = (z > 0).float()
            tp = (pred * yva).sum()
            f1 = (2 * tp / (pred.sum() + yva.sum()).clamp(min=1)).item()
            rec = {"epoch": epoch,
                   "val_bce": round(F.binary_cross_entropy_with_logits(z, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_f1": round(f1, 6),
                   "val_acc_eggs": round((pred[:, 0] == yva[:, 0]).float().mean().item(), 6)}
            log.write(json.dumps(rec) + "\n")
            print(round(loss.item(), 4), rec)
    torch.save({"params": model.state_dict(), "adam": opt.state_dict(), "epoch": 16,
                "goods": GOODS, "feat_mean": mean, "feat_std": std}, out / "basket_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="basket_mlp.pt", log="round_log.jsonl",
           what="plain MLP, multi-label, which goods a farm has for the higgler's round;"
                " hand-written Bernoulli log-likelihood minimised without the minus sign",
           complaint="My multi-label model for which goods each farm will have goes the"
                     " wrong way. The training loss goes negative straight away and keeps"
                     " falling (about -26000 after 16 epochs) while the validation BCE"
                     " climbs to the same size, and on held-out farm-weeks it gets only 26%"
                     " of the labels right from the first epoch on, far worse than always"
                     " guessing no. What is going on?")


if __name__ == "__main__":
    main()
