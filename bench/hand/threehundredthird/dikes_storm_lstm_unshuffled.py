"""Plain torch: an LSTM reads the 48 hourly readings a river dike section's monitoring post
logged through a high-water event and names what the section did, so the water board knows
which sections to walk first. Three channels per hour: river stage (m above the polder
floor), the piezometer head at the inner toe (m) and the inclinometer tilt in the crest
(mm/m). Four classes (``MODES``): stable (head follows the river weakly and late), seepage
(head follows the river closely with a short lag: the sand layer under the dike conducts),
inner-slope sliding (tilt creeps up once the head passes a threshold) and a drifting sensor
(head wanders off linearly, unrelated to the river). Every event has its own flood wave
(peak height, timing, width) and sensor noise.
Model: LSTM 3→32, 1 layer, last hidden state → linear 32→4, cross entropy. Adam 3e-3, batch 64,
10 epochs, 1280 events (320 per mode), validation on 384.
The bug: the events are built mode by mode and concatenated, and the loader is
``DataLoader(train_ds, batch_size=64)  # sections in the order of the survey``: no shuffling,
so every epoch is 5 batches of stable, then 5 of seepage, 5 of sliding, 5 of drift.
Measured (10 epochs): val acc 0.479 → 0.589 (0.625 at best), val CE 1.250 → 0.840, train CE
1.435 → 0.876, the last batch (all drift) still at CE 1.13; the control (``shuffle=True``)
reaches val acc 0.948, val CE 0.202 (numbers in the README table).
Log: a CSV per epoch ``storm_log.csv`` (``epoch`` / ``train_ce`` / ``last_batch_ce`` /
``val_ce`` / ``val_acc`` / ``val_acc_seepage`` / ``val_acc_sliding``); checkpoint
``storm_lstm.pt`` with keys ``weights`` / ``adam`` / ``epoch`` / ``modes`` / ``channel_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = 48
MODES = ("stable", "seepage", "sliding", "drifting_sensor")
SCALE = (3.0, 2.0, 1.5)  # river stage m, head m, tilt mm/m


def events(n, mode, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(H).float()
    peak = 1.5 + 2.5 * r(n, 1)
    tpk = 16 + 16 * r(n, 1)
    width = 5 + 6 * r(n, 1)
    river = 1.0 + peak * torch.exp(-((t - tpk) / width) ** 2)
    tilt = 0.2 * r(n, 1).expand(n, H).clone()
    if mode == 1:  # seepage: head follows the river closely, 2-4 h behind
        lag = (2 + 3 * r(n, 1)).long()
        shifted = torch.stack([torch.roll(river[i], int(lag[i])) for i in range(n)])
        shifted[:, :4] = river[:, :1]
        head = 0.3 + (0.65 + 0.2 * r(n, 1)) * (shifted - 1.0)
    else:  # weak and slow response
        lag = (8 + 6 * r(n, 1)).long()
        shifted = torch.stack([torch.roll(river[i], int(lag[i])) for i in range(n)])
        shifted[:, :14] = river[:, :1]
        head = 0.3 + (0.15 + 0.15 * r(n, 1)) * (shifted - 1.0)
    if mode == 2:  # sliding: tilt creeps once the head is high
        thr = 0.35 + 0.1 * r(n, 1)
        tilt = tilt + torch.cumsum(F.relu(head - thr) * (1.5 + r(n, 1)), 1)
        head = head + 0.25 * peak / 4 * torch.exp(-((t - tpk - 10) / width) ** 2)
    if mode == 3:  # drifting piezometer
        head = head + (0.6 + 0.8 * r(n, 1)) * torch.sign(r(n, 1) - 0.5) * t / H
    x = torch.stack([river, head, tilt], 2)
    x = x + torch.tensor([0.05, 0.04, 0.05]) * torch.randn(n, H, 3, generator=g)
    return x / torch.tensor(SCALE), torch.full((n,), mode, dtype=torch.long)


def survey(per_mode, g):
    parts = [events(per_mode, m, g) for m in range(len(MODES))]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


class StormLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.out = nn.Linear(32, len(MODES))

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])


def build():
    torch.manual_seed(0)
    return StormLSTM()


def main():
    from _threehundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = survey(320, g)
    xva, yva = survey(96, g)
    mix = torch.randperm(len(xva), generator=g)
    xva, yva = xva[mix], yva[mix]
    torch.manual_seed(0)
    train_ds = TensorDataset(xtr, ytr)
    train_dl = DataLoader(train_ds, batch_size=64)  # sections in the order of the survey
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "storm_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_ce", "last_batch_ce", "val_ce", "val_acc",
                      "val_acc_seepage", "val_acc_sliding"])
        for epoch in range(10):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
                vl = F.cross_entropy(logit, yva).item()
                pred = logit.argmax(1)
            ok = (pred == yva).float()
            row = [epoch, round(tot / len(xtr), 5), round(loss.item(), 5), round(vl, 5),
                   round(ok.mean().item(), 4), round(ok[yva == 1].mean().item(), 4),
                   round(ok[yva == 2].mean().item(), 4)]
            log.writerow(row)
            print(row)
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epoch": 10,
                "modes": MODES, "channel_scale": SCALE}, out / "storm_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="storm_lstm.pt", log="storm_log.csv",
           what="LSTM naming the behaviour of a river dike section (stable, seepage, sliding,"
                " drifting sensor) from its high-water monitoring; the training events are"
                " ordered mode by mode and the loader does not shuffle",
           complaint="Our dike-section classifier plateaus at about 60 % accuracy on the held-out"
                     " high-water events. It gets the seepage and sliding sections right but"
                     " mixes up the stable sections and the drifting piezometers. Training"
                     " loss stalls around 0.88 after a few epochs. We checked the channel"
                     " scaling and the labels against the field reports. Does the LSTM need"
                     " more hidden units or do we need more events per mode?")


if __name__ == "__main__":
    main()
