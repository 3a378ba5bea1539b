"""Plain torch: an MLP tells a cockle gang whether a bed on the sands will be dry, wadeable
or flooded at a given hour, from what they know when planning the day: the hour (0-24), the
day of the lunar month (0-29.5, for the time of high water and springs / neaps), the bed's
height above chart datum (0.4-3.2 m, from the survey), the onshore wind (m/s) and the air
pressure (hPa). The water over the bed follows the tide at the port: high water comes
about 50 min later each day (lunar semidiurnal tide, 12.42 h), the range swings with springs
and neaps (14.77 days), wind set-up adds 2 cm per m/s onshore, and every hPa below 1013
raises the sea a centimetre; the gang's rule on the depth over the bed: < 0 m dry (work it),
0-0.5 m wadeable (get off), > 0.5 m flooded. Class shares come out about 26 : 9 : 65 %.
Input: (5,) standardised with the train mean / std. Model: 5→HIDDEN→ReLU→HIDDEN→ReLU→3;
cross-entropy, SGD 0.05 momentum 0.9, batch 100, 60 epochs, 6000 planned visits,
validation on 1500.
The bug: ``HIDDEN = 4`` (two hidden layers of 4 units) is far too small for a depth that
turns twice a day around a high water that moves with the lunar day: train loss 0.836 →
0.756 and flat from epoch 5, val CE 0.80 throughout, val accuracy 0.652 → 0.645 (about the
flooded share), wadeable hours never called (recall 0.0) (control, ``HIDDEN = 64``: train
loss 0.810 → 0.209, val accuracy 0.631 → 0.907, wadeable recall 0.0 → 0.34).
Log: JSON lines per epoch ``bedcover_log.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_wadeable``); checkpoint ``bedcover.ckpt`` with keys ``weights`` /
``opt`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``classes``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["dry", "wadeable", "flooded"]
HIDDEN = 4  # units per hidden layer, five inputs only


def visits(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hour = 24 * r(n)
    day = 29.53 * r(n)
    bed = 0.4 + 2.8 * r(n)
    wind = 12 * r(n) - 4
    hpa = 1013 + 12 * torch.randn(n, generator=g)
    hw = (2.3 + 0.8417 * day) % 12.42
    rng = 2.0 + 0.7 * torch.cos(2 * math.pi * day / 14.77)
    tide = 3.0 + rng * torch.cos(2 * math.pi * (hour - hw) / 12.42)
    depth = tide + 0.02 * wind - 0.01 * (hpa - 1013) - bed + 0.05 * torch.randn(n, generator=g)
    y = torch.where(depth < 0, 0, torch.where(depth < 0.5, 1, 2))
    return torch.stack([hour, day, bed, wind, hpa], 1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                         nn.Linear(HIDDEN, 3))


def main():
    from _threehundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = visits(6000, g)
    rva, yva = visits(1500, g)
    print("classes", torch.bincount(ytr).tolist())
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    with open(out / "bedcover_log.jsonl", "w") as f:
        for epoch in range(60):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            rec = {"epoch": epoch, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(crit(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_acc_wadeable": round((pred[yva == 1] == 1).float().mean().item(), 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(), "epoch": 60,
                "feat_mean": mu, "feat_std": sd, "classes": CLASSES}, out / "bedcover.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="bedcover.ckpt", log="bedcover_log.jsonl",
           what="MLP telling whether a cockle bed is dry, wadeable or flooded at an hour;"
                " hidden layers only 4 units wide",
           complaint="Bed-cover planner (dry / wadeable / flooded from hour, moon day, bed"
                     " height, wind, pressure): the training loss drops to about 0.76 in the first"
                     " few epochs and then sits there for all 60 epochs; validation loss 0.80,"
                     " validation accuracy 64-65 % the whole time, and it has not once called"
                     " an hour wadeable. Train and validation are about the same, so it is not"
                     " memorising anything. Running longer changed nothing.")


if __name__ == "__main__":
    main()
