"""Plain torch: an LSTM warns a vending-machine operator that a slot will sell out before the
next restock visit, from the slot's last 21 days (3 channels a day: units sold, units left in
the spiral after the day, outdoor temperature). Sales follow a weekly rhythm (weekday office
traffic, quiet weekends) scaled by the slot's popularity and by the heat (cold drinks); the
label says whether the next 3 days' expected sales exceed what is left in the spiral, so it
comes from the stock level, the recent rate and the temperature trend. LSTM(3→32) + Linear(32→1)
on the last state, Adam 2e-3, batch 64, 12 epochs of 1536 slots; the loss is a hand-written
binary cross-entropy on ``torch.sigmoid`` (``bce``, with an eps against log(0)).
The bug: ``bce`` lost its leading minus, ``return (y * torch.log(p + eps) + (1 - y) *
torch.log(1 - p + eps)).mean()`` is the log-likelihood, not its negative, so the optimiser pushes every probability towards the wrong
side: the logged loss goes negative and keeps falling (−0.79 in epoch 1, −5.2 at epoch 4,
−11.4 at epoch 12; val loss the same) while val accuracy drops from 0.32 to 0.26, below the
0.40 share of sell-outs — the warnings come out inverted. Control (``return -(...)``): loss
0.64 → 0.13, val loss 0.15, val accuracy 0.74 after epoch 1, 0.93 at 4, 0.95 at 12."""
import json
import math

import torch
import torch.nn as nn

DAYS = 21


def slot_histories(n, g):
    day = torch.arange(DAYS + 3).float()
    weekday = ((day + torch.randint(0, 7, (n, 1), generator=g)) % 7 < 5).float()
    popularity = 2 + 6 * torch.rand(n, 1, generator=g)
    temp = (18 + 8 * torch.randn(n, 1, generator=g)
            + 3 * torch.sin(2 * math.pi * day / (20 + 10 * torch.rand(n, 1, generator=g)))
            + torch.randn(n, DAYS + 3, generator=g))
    rate = popularity * (0.4 + 0.6 * weekday) * (1 + 0.04 * (temp - 18)).clamp(min=0.3)
    sold = torch.poisson(rate, generator=g)
    left = torch.empty(n, DAYS)
    stock = torch.full((n,), 40.0)
    for d in range(DAYS):
        if d % 7 == 0:  # restock visit
            stock = torch.full((n,), 40.0)
        stock = (stock - sold[:, d]).clamp(min=0)
        left[:, d] = stock
    y = (rate[:, DAYS:].sum(1) > left[:, -1]).float()
    x = torch.stack([sold[:, :DAYS] / 8, left / 40, (temp[:, :DAYS] - 18) / 8], 2)
    return x, y


class SelloutLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return SelloutLSTM()


def bce(logits, y, eps=1e-7):
    p = torch.sigmoid(logits)
    return (y * torch.log(p + eps) + (1 - y) * torch.log(1 - p + eps)).mean()


def main():
    from _hundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = slot_histories(1536, g)
    xva, yva = slot_histories(384, g)
    print("sell-out share", ytr.mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "history.jsonl", "w") as log:
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(1536, generator=g)
            losses = []
            for i in range(0, 1536, 64):
                idx = perm[i:i + 64]
                loss = bce(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                rec = {"epoch": epoch, "loss": round(sum(losses) / len(losses), 4),
                       "val_loss": round(bce(logits, yva).item(), 4),
                       "val_acc": round(((logits > 0).float() == yva).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 12}, out / "sellout_lstm.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="sellout_lstm.ckpt", log="history.jsonl",
           what="vending sell-out LSTM trained on a hand-written BCE missing its minus sign",
           complaint=("Sell-out warning model for our vending machine slots (LSTM over the last 21 "
                      "days). The training loss is negative from the first epoch and keeps "
                      "falling: -0.79, -5.2 at epoch 4, -11.4 at epoch 12, the val loss the same. "
                      "But validation accuracy is 0.32 after epoch 1 and 0.26 at the end, worse "
                      "than simply never warning (about 60 % of slots don't sell out). What is "
                      "going on?"))


if __name__ == "__main__":
    main()
