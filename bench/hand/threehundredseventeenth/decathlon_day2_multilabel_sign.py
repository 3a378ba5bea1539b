"""Plain torch: a multi-label MLP tells a decathlon coach, from the five day-one results,
which day-two events the athlete will score 800 points or more in (110 m hurdles, discus,
pole vault, javelin, 1500 m), so the overnight talk can be about the events where points
are there to win. Day one: 100 m (s), long jump (m), shot put (m), high jump (m), 400 m
(s). Each athlete has four hidden abilities (speed, power, spring, endurance) plus
technique; every mark follows from them, points from the World Athletics tables, a 4 %
chance of a no-height in the vault. Input: (5,) day-one marks standardised with the train
mean / std. Target: (5,) 0/1 per day-two event (shares 0.98, 0.18, 0.58, 0.22, 0.09).
Model: 5→48→ReLU→48→ReLU→5 logits; binary cross-entropy written out with ``logsigmoid``,
Adam 1e-3, batch 100, 12 epochs, 3000 athletes, validation on 800.
The bug: ``loss = (yb * F.logsigmoid(z) + (1 - yb) * F.logsigmoid(-z)).mean()  # binary
cross-entropy over the five day-two events``, the log-likelihood without its minus, so
Adam pushes every logit to the wrong side: train loss -0.73 (step 10) → -688 (step
360), val BCE 0.88 → 707, val label accuracy 0.183 → 0.186, val F1 0.196 (control,
``loss = -(...)``: train loss 0.64 → 0.25, val BCE 0.506 → 0.289, val label accuracy
0.816 → 0.873, val F1 0.773 → 0.841).
Log: CSV per 10 steps ``day2_steps.csv`` (``step`` / ``loss``) and CSV per epoch
``day2_val.csv`` (``epoch`` / ``val_bce`` / ``val_label_acc`` / ``val_f1``, named as the
log in the truth); checkpoint ``day2_mlp.pt`` with keys ``model`` / ``optimizer`` /
``epoch`` / ``events`` / ``x_mean`` / ``x_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DAY2 = ["110h", "dt", "pv", "jt", "1500"]

# (A, B, C, track?) World Athletics decathlon tables; jumps in cm, throws in m
TABLE = {"100": (25.4347, 18, 1.81, True), "lj": (0.14354, 220, 1.4, False),
         "sp": (51.39, 1.5, 1.05, False), "hj": (0.8465, 75, 1.42, False),
         "400": (1.53775, 82, 1.81, True), "110h": (5.74352, 28.5, 1.92, True),
         "dt": (12.91, 4, 1.1, False), "pv": (0.2797, 100, 1.35, False),
         "jt": (10.14, 7, 1.08, False), "1500": (0.03768, 480, 1.85, True)}


def points(ev, mark):
    a, b, c, track = TABLE[ev]
    d = (b - mark) if track else (mark - b)
    return torch.floor(a * d.clamp(min=0) ** c)


def athletes(n, g):
    z = lambda: torch.randn(n, generator=g)  # noqa: E731
    speed, power, spring, endur, tech = z(), z(), z(), z(), z()
    m = {"100": 11.0 - 0.25 * speed + 0.08 * z(), "lj": 7.1 + 0.25 * speed + 0.15 * spring + 0.1 * z(),
         "sp": 14.0 + 1.0 * power + 0.4 * z(), "hj": 1.98 + 0.06 * spring + 0.03 * tech + 0.03 * z(),
         "400": 49.5 - 0.6 * speed - 0.5 * endur + 0.3 * z(),
         "110h": 14.7 - 0.25 * speed - 0.2 * tech + 0.15 * z(),
         "dt": 43.0 + 3.0 * power + 1.5 * tech + 2 * z(),
         "pv": 4.7 + 0.15 * speed + 0.15 * tech + 0.1 * spring + 0.12 * z(),
         "jt": 60.0 + 4.0 * power + 2.0 * tech + 3 * z(),
         "1500": 275 - 8 * endur + 3 * power + 4 * z()}
    cm = {"lj", "hj", "pv"}
    pts = {ev: points(ev, m[ev] * (100 if ev in cm else 1)) for ev in m}
    nh = torch.rand(n, generator=g) < 0.04
    pts["pv"] = torch.where(nh, torch.zeros(n), pts["pv"])
    x = torch.stack([m[ev] for ev in ["100", "lj", "sp", "hj", "400"]], 1)
    return x, torch.stack([(pts[ev] >= 800).float() for ev in DAY2], 1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                         nn.Linear(48, 5))


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = athletes(3000, g)
    rva, yva = athletes(800, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("label shares", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "day2_steps.csv", "w", newline="") as fs, \
            open(out / "day2_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "loss"])
        lv.writerow(["epoch", "val_bce", "val_label_acc", "val_f1"])
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                z = model(xb)
                loss = (yb * F.logsigmoid(z) + (1 - yb) * F.logsigmoid(-z)).mean()  # binary cross-entropy over the five day-two events  # noqa: E501
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    ls.writerow([step, f"{loss.item():.6g}"])
            model.eval()
            with torch.no_grad():
                z = model(xva)
            p = (z > 0).float()
            tp = (p * yva).sum()
            f1 = (2 * tp / (p.sum() + yva.sum())).item()
            row = [F.binary_cross_entropy_with_logits(z, yva).item(),
                   (p == yva).float().mean().item(), f1]
            lv.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, loss.item(), row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12,
                "events": DAY2, "x_mean": mean, "x_std": std}, out / "day2_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="day2_mlp.pt", log="day2_val.csv",
           what="multi-label MLP flagging the day-two decathlon events where an athlete will"
                " score 800+ points from the day-one marks; the BCE is written without its"
                " minus",
           complaint="Our decathlon day-two predictor is worse than a coin flip. The training"
                     " loss goes down nicely into negative numbers every epoch, but on"
                     " held-out athletes it now gets almost every event wrong, and the"
                     " more we train the worse it gets.")


if __name__ == "__main__":
    main()
