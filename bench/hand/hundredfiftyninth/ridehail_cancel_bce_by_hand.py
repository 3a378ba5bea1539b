"""Ride-hail booking cancellation: will the rider cancel before pickup? Synthetic bookings
from a city dispatch table: driver ETA (min), pickup distance (km), surge multiplier, hour of
day (sin/cos), rider's past cancel rate, rider rating, payment (card / cash / corporate
account), airport pickup, rain. Cancellations follow a logistic rule (long ETA and surge push
up) with 3 % of the labels flipped, then two business rules: corporate accounts never cancel,
an ETA over 15 min is auto-cancelled by dispatch. An MLP 12 → 64 → 64 → 1, Adam 1e-2, batch
128, 4000 bookings, 30 epochs; a
JSON-lines log per epoch (``ep``, ``bce_train``, ``bce_val``, ``val_acc``, ``val_auc``).
Bug: the loss is written out by hand with ``p = torch.sigmoid(logit)`` and
``-(y * torch.log(p) + (1 - y) * torch.log(1 - p))`` without a clamp or eps. As the model grows
confident on the deterministic bookings (corporate, ETA > 15 min), a logit passes ~17, the
float32 sigmoid rounds to exactly 1.0 (or 0.0), ``log(1 - p)`` is −inf and ``0 * -inf`` is NaN;
one NaN batch loss turns every weight NaN at the next Adam step. Val accuracy 0.81–0.83, AUC
0.91, val BCE 0.37 by epoch 13; train and val BCE NaN from epoch 14 to 30, val accuracy 0.426
(every booking called "not cancelled", NaN > 0 is false), AUC NaN. The control
(``torch.sigmoid(logit).clamp(1e-7, 1 - 1e-7)``) trains all 30 epochs: val accuracy 0.813, AUC
0.903, train BCE 0.318, val BCE 0.44 (val logits up to ±33)."""
import json

import torch
import torch.nn as nn

FEATS = ["eta_min", "pickup_km", "surge", "hour_sin", "hour_cos", "rider_cancel_rate",
         "rider_rating", "pay_card", "pay_cash", "pay_corporate", "airport", "rain"]


def bookings(n, g):
    eta = torch.rand(n, generator=g) ** 1.5 * 25
    km = eta * (0.3 + 0.2 * torch.rand(n, generator=g))
    surge = 1 + (torch.rand(n, generator=g) < 0.3) * torch.rand(n, generator=g) * 1.5
    hour = torch.randint(0, 24, (n,), generator=g).float()
    rate = torch.rand(n, generator=g) ** 3 * 0.6
    rating = 4 + torch.rand(n, generator=g)
    pay = torch.multinomial(torch.tensor([0.6, 0.25, 0.15]), n, replacement=True, generator=g)
    airport = (torch.rand(n, generator=g) < 0.1).float()
    rain = (torch.rand(n, generator=g) < 0.2).float()
    z = -2.5 + 0.25 * eta + 1.2 * (surge - 1) + 4 * rate - 0.8 * airport + 0.6 * rain
    y = (torch.rand(n, generator=g) < torch.sigmoid(z)).float()
    flip = torch.rand(n, generator=g) < 0.03
    y = torch.where(flip, 1 - y, y)
    y[pay == 2] = 0.0  # corporate bookings cannot be cancelled by the rider
    y[eta > 15] = 1.0  # dispatch auto-cancels after 15 min
    x = torch.stack([eta / 10, km / 5, surge, torch.sin(hour / 24 * 6.283),
                     torch.cos(hour / 24 * 6.283), rate * 3, rating - 4.5,
                     (pay == 0).float(), (pay == 1).float(), (pay == 2).float(), airport, rain], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def bce(logit, y):
    p = torch.sigmoid(logit)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    if torch.isnan(score).any():
        return float("nan")
    return ((pos[:, None] > neg[None]).float().mean()
            + 0.5 * (pos[:, None] == neg[None]).float().mean()).item()


def main():
    from _hundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bookings(5000, g)
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    log = open(out / "cancel_log.jsonl", "w")
    for ep in range(1, 31):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 128):
            idx = perm[i:i + 128]
            loss = bce(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva).squeeze(1)
            rec = {"ep": ep, "bce_train": tot / 4000, "bce_val": bce(lv, yva).item(),
                   "val_acc": ((lv > 0).float() == yva).float().mean().item(),
                   "val_auc": auc(lv, yva)}
        log.write(json.dumps(rec) + "\n")
        print(rec, lv.abs().max().item())
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "features": FEATS}, out / "cancel_mlp.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["numerical_log_or_div_zero"],
           checkpoint="cancel_mlp.pt", log="cancel_log.jsonl",
           what="ride-hail cancellation MLP, hand-written BCE log(sigmoid) without clamp/eps",
           complaint="My booking-cancellation model was fine for 13 epochs (val accuracy 0.82, AUC "
                     "0.91) and then at epoch 14 both losses turned into NaN and stayed NaN until "
                     "epoch 30. Now it predicts nobody cancels (accuracy 0.426) and AUC is NaN. I "
                     "did not change the learning rate or the data during the run.")


if __name__ == "__main__":
    main()
