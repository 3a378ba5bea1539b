"""Plain torch: an embedding model predicts how many rabbits a warrener will net in a day's
ferreting at one of an estate's 40 warrens, to plan the netting gangs and the game dealer's
order. Each warren has its own size (learned as an 8-wide embedding: the model is never told
the burrow counts), each month its own factor (a 4-wide embedding: the season runs
September to March, best in the cold months before breeding, thin in September when young
rabbits are still below ground in the stops), and three numeric inputs: the day's mean
temperature (°C), wind (m/s; rabbits bolt badly on a windy day and hear the ferrets) and
the number of purse nets set (0.6-1.4 of the warren's holes). The catch is Poisson with a
mean = warren size x month factor x exp(-0.06 x wind) x (1 - exp(-1.8 x nets share)) x a
cold bonus, 0-40 rabbits a day. Input: warren id, month index (0 = September), and
(3,) standardised numbers. Model: warren embedding 40x8 and month embedding 7x4
concatenated with the numbers, MLP 15→48→ReLU→48→ReLU→1 (log rate); Poisson NLL on the log
rate, Adagrad 0.05, batch 128, 30 epochs, 3000 ferreting days, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``ferreting_fit.jsonl`` (``epoch`` / ``train_nll`` / ``val_nll``
/ ``val_mae_rabbits`` / ``val_mae_big_warrens``); checkpoint ``catch_model.pt`` with keys
``weights`` / ``adagrad`` / ``epoch`` / ``num_mean`` / ``num_std`` / ``months``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

MONTHS = ["Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
WARRENS = 40


def days(n, g, size):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    warren = torch.randint(0, WARRENS, (n,), generator=g)
    month = torch.randint(0, 7, (n,), generator=g)
    mean_t = torch.tensor([14.0, 11.0, 7.0, 5.0, 4.0, 5.0, 7.0])[month]
    temp = mean_t + 3 * torch.randn(n, generator=g)
    wind = 8 * r(n) ** 1.5
    nets = 0.6 + 0.8 * r(n)
    month_f = torch.tensor([0.45, 0.8, 1.0, 1.1, 1.1, 0.95, 0.6])[month]
    cold = 1 + 0.3 * torch.sigmoid((6 - temp) / 2)
    rate = size[warren] * month_f * torch.exp(-0.06 * wind) * (1 - torch.exp(-1.8 * nets)) * cold
    catch = torch.poisson(rate, generator=g)
    return warren, month, torch.stack([temp, wind, nets], 1), catch


class CatchModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.warren = nn.Embedding(WARRENS, 8)
        self.month = nn.Embedding(7, 4)
        self.mlp = nn.Sequential(nn.Linear(15, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, warren, month, num):
        h = torch.cat([self.warren(warren), self.month(month), num], 1)
        return self.mlp(h).squeeze(1)


def build():
    torch.manual_seed(0)
    return CatchModel()


def main():
    from _threehundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    size = 3 + 22 * torch.rand(WARRENS, generator=g) ** 2
    wtr, mtr, ntr, ctr = days(3000, g, size)
    wva, mva, nva, cva = days(750, g, size)
    print("catch mean", ctr.mean().item(), "max", ctr.max().item())
    nm, ns = ntr.mean(0), ntr.std(0)
    xtr, xva = (ntr - nm) / ns, (nva - nm) / ns
    big = size[wva] > 12
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(wtr, mtr, xtr, ctr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    with open(out / "ferreting_fit.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for wb, mb, xb, cb in dl:
                loss = F.poisson_nll_loss(model(wb, mb, xb), cb, log_input=True)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(cb)
            model.eval()
            with torch.no_grad():
                lr_ = model(wva, mva, xva)
            err = (lr_.exp() - cva).abs()
            rec = {"epoch": epoch, "train_nll": round(tot / len(ctr), 5),
                   "val_nll": round(F.poisson_nll_loss(lr_, cva, log_input=True).item(), 5),
                   "val_mae_rabbits": round(err.mean().item(), 4),
                   "val_mae_big_warrens": round(err[big].mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "adagrad": opt.state_dict(), "epoch": 30,
                "num_mean": nm, "num_std": ns, "months": MONTHS}, out / "catch_model.pt")
    finish(out, __file__, {"inputs": torch.stack([wva[:64], mva[:64]], 1),
                           "numbers": xva[:64], "targets": cva[:64]},
           causes=[], checkpoint="catch_model.pt", log="ferreting_fit.jsonl",
           what="embedding model (warren and month embeddings + weather) predicting a"
                " warrener's daily ferreting catch, Poisson NLL (healthy)")


if __name__ == "__main__":
    main()
