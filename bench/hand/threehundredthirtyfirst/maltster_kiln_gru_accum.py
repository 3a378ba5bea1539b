"""Plain torch: a GRU is a soft sensor for a maltster's kiln: it reads the kiln's log (every
20 min over a 24 h kilning) and puts out the green malt's moisture at every reading, since the
bed is only sampled by hand at loading and at the end. Each batch of green malt is loaded at
41-47 % moisture and dried with warm air (air-on 52-62 °C, fan at 80-100 %) until the break
(the bed dries through and the air-off temperature jumps up), then the fan is turned down and
the air-on ramped to curing (78-88 °C) for the last 5-7 h. The rule: the drying rate follows the
gap between the bed moisture and its equilibrium at the air-on temperature, times the air flow;
the evaporation cools the air, so the air-off temperature sits below air-on by an amount set by
the drying rate, and the air-off humidity falls at the break.
Input: (72, 4) per batch (air-on °C, air-off °C, fan %, air-off RH %), standardised; target
(moisture % - 20) / 15 at each reading. Model: GRU 4→48, 1 layer → Linear 48→1 at every step;
MSE, SGD 0.3 momentum 0.9, gradient accumulated over 4 micro-batches of 16 kilns (64 kilns per
update), 24 epochs of 640 kilns, validation on 160.
The bug: the accumulation loop calls ``loss.backward()`` on each micro-batch's mean loss
without dividing it by the 4 micro-batches, so each update is 4 times the mean gradient and
the step 4 times the one the learning rate was tuned for: the update MSE goes 0.26, 1.5, 25,
360, 3.2e5 over the first five updates, val MSE 4e22 after epoch 0 and NaN from then on
(control, ``(loss / ACCUM).backward()``: update MSE 0.26 → 0.0070, val MSE 0.084 → 0.0088,
RMSE 4.3 → 1.4 moisture points).
Log: CSV per update ``kiln_updates.csv`` (``update`` / ``epoch`` / ``mse``) and CSV per epoch
``kiln_val.csv`` (``epoch`` / ``val_mse`` / ``val_rmse_pct`` / ``val_rmse_pct_end``, named as
the log in the truth); checkpoint ``kiln_gru.pt`` with keys ``gru_state`` / ``sgd_state`` /
``updates`` / ``accum`` / ``in_mean`` / ``in_std`` / ``moist_center_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 72  # readings, every 20 min
ACCUM = 4
MICRO = 16


def kilns(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    m = 41 + 6 * r(n)
    t_dry = 52 + 10 * r(n)
    t_cure = 78 + 10 * r(n)
    fan_dry = 80 + 20 * r(n)
    k = 0.045 + 0.02 * r(n)  # bed depth, malt type
    cure_from = (T - 3 * (5 + 2 * r(n))).long()  # last 5-7 h
    rows, moist = [], []
    for s in range(T):
        curing = s >= cure_from
        ramp = ((s - cure_from).clamp(min=0).float() / 6).clamp(max=1)
        t_on = torch.where(curing, t_dry + (t_cure - t_dry) * ramp, t_dry)
        fan = torch.where(curing, 0.6 * fan_dry, fan_dry)
        m_eq = 9 - 0.15 * (t_on - 50)
        free = (m - m_eq).clamp(min=0)
        rate = k * (fan / 100) * free * torch.where(m > 14, torch.ones(n), 0.4 * torch.ones(n))
        m = m - rate
        t_off = t_on - 9 * rate / (0.5 + 0.5 * fan / 100)
        rh = (95 * rate / (rate + 0.15)).clamp(max=98)
        rows.append(torch.stack([t_on, t_off, fan, rh], 1))
        moist.append(m)
    x = torch.stack(rows, 1) + torch.tensor([0.3, 0.3, 1.0, 2.0]) * torch.randn(n, T, 4, generator=g)
    return x, torch.stack(moist, 1)


class KilnGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return KilnGRU()


def main():
    from _threehundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, mtr = kilns(640, g)
    xva, mva = kilns(160, g)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = ((mtr - 20) / 15).unsqueeze(2), ((mva - 20) / 15).unsqueeze(2)
    print("moisture end", mtr[:, -1].mean().item(), "target var", ytr.var().item())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    torch.manual_seed(1)
    update = 0
    with open(out / "kiln_updates.csv", "w", newline="") as fu, \
            open(out / "kiln_val.csv", "w", newline="") as fv:
        wu, wv = csv.writer(fu), csv.writer(fv)
        wu.writerow(["update", "epoch", "mse"])
        wv.writerow(["epoch", "val_mse", "val_rmse_pct", "val_rmse_pct_end"])
        for epoch in range(24):
            model.train()
            perm = torch.randperm(len(xtr))
            for b in range(0, len(xtr), MICRO * ACCUM):
                opt.zero_grad()
                tot = 0.0
                for a in range(ACCUM):
                    idx = perm[b + a * MICRO:b + (a + 1) * MICRO]
                    loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                    loss.backward()  # accumulate over the micro-batches
                    tot += loss.item() / ACCUM
                opt.step()
                update += 1
                wu.writerow([update, epoch, round(tot, 6)])
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = 15 * (p - yva)
            row = [epoch, round(F.mse_loss(p, yva).item(), 6),
                   round(err.pow(2).mean().sqrt().item(), 4),
                   round(err[:, -1].pow(2).mean().sqrt().item(), 4)]
            wv.writerow(row)
            print(row)
    torch.save({"gru_state": model.state_dict(), "sgd_state": opt.state_dict(),
                "updates": update, "accum": ACCUM, "in_mean": mu, "in_std": sd,
                "moist_center_scale": [20.0, 15.0]}, out / "kiln_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="kiln_gru.pt", log="kiln_val.csv",
           what="GRU soft sensor giving green malt moisture at every reading of a kiln log,"
                " gradient accumulation whose micro-batch losses are not divided by the count",
           complaint="The kiln moisture GRU blows up in the first epoch. Training MSE per"
                     " update goes 0.26, 1.5, 25, 360, 317000 and the validation MSE after epoch 0"
                     " is 4e22, NaN after that, every epoch. SGD lr 0.3 momentum 0.9, 64 kilns per"
                     " update fed in 4 pieces of 16 to keep memory down, inputs standardised,"
                     " targets around +-1. No mixed precision, nothing exotic.")


if __name__ == "__main__":
    main()
