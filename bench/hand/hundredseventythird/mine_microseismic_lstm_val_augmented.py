"""Plain torch: an LSTM sorts the events a mine's microseismic network records (production
blast / rock burst / ore-pass rockfall noise) from 64 samples of a geophone's 2 channels
(vertical velocity, horizontal velocity) around the trigger. Blasts: a sharp, high-frequency
onset that dies fast, vertical-heavy; rock bursts: a slower P then a strong horizontal S arrival
a few samples later, a longer coda; rockfall: an emergent, long, rumbling low-frequency train on
both channels. Magnitude, trigger position and background noise vary. Conv1d(2→16, k5, stride
2)-ReLU front end, LSTM(16→48), the last state → Linear(48→3); Adam 2e-3, gradient clipping at
1.0, batch 32, 14 epochs of 896 events. Training uses the usual waveform augmentation: a random
gain (×0.7–1.4), a random time shift (±8 samples, rolled), strong added noise (σ 0.35) and one
random 24-sample dropout window; a per-epoch CSV (Epoch / TrainLoss / TrainAcc / ValLoss /
ValAcc).
The bug: the validation set is built with the same ``Events(..., augment=True)`` as training
(copied from the line above), so every epoch is scored on freshly corrupted copies of the 256
validation events. Over the last 5 epochs val accuracy 0.88, 0.69, 0.88, 0.84, 0.83, 0.91 at
epoch 14, val loss between 0.24 and 0.64, tracking the train numbers (train accuracy 0.90).
Control (``augment=False`` for validation): val accuracy 1.00 from epoch 11 on, val loss 0.048
at epoch 14."""
import csv

import torch
import torch.nn as nn

T = 64


def events(n, g):
    t = torch.arange(T).float()
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.zeros(n, T, 2)
    for i in range(n):
        t0 = 14 + 10 * float(torch.rand(1, generator=g))
        mag = 0.6 + 0.8 * float(torch.rand(1, generator=g))
        s = (t - t0).clamp(min=0)
        on = (t >= t0).float()
        if y[i] == 0:  # blast
            w = on * torch.exp(-s / 5) * torch.sin(s * 2.2)
            x[i, :, 0], x[i, :, 1] = 1.2 * w, 0.4 * w
        elif y[i] == 1:  # rock burst: P then S
            lag = 8 + 4 * float(torch.rand(1, generator=g))
            p = on * torch.exp(-s / 6) * torch.sin(s * 1.3) * 0.5
            s2 = (t - t0 - lag).clamp(min=0)
            sw = (t >= t0 + lag).float() * torch.exp(-s2 / 14) * torch.sin(s2 * 0.9)
            x[i, :, 0], x[i, :, 1] = p + 0.3 * sw, 0.2 * p + 1.1 * sw
        else:  # rockfall in an ore pass
            env = torch.sigmoid((t - t0) / 6) * torch.exp(-s / 40)
            x[i, :, 0] = 0.6 * env * torch.sin(t * 0.45 + 3 * float(torch.rand(1, generator=g)))
            x[i, :, 1] = 0.6 * env * torch.sin(t * 0.38 + 3 * float(torch.rand(1, generator=g)))
        x[i] *= mag
    return x + 0.05 * torch.randn(x.shape, generator=g), y


class Events(torch.utils.data.Dataset):
    def __init__(self, x, y, augment=False):
        self.x, self.y, self.augment = x, y, augment

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.augment:
            x = x * (2 ** (torch.rand(1) - 0.5))
            x = torch.roll(x, int(torch.randint(-8, 9, (1,))), 0)
            x = x + 0.35 * torch.randn_like(x)
            j = int(torch.randint(0, T - 24, (1,)))
            x = torch.cat([x[:j], torch.zeros(24, 2), x[j + 24:]])
        return x, self.y[i]


class EventLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 16, 5, stride=2, padding=2), nn.ReLU())
        self.lstm = nn.LSTM(16, 48, batch_first=True)
        self.fc = nn.Linear(48, 3)

    def forward(self, x):
        _, (h, _) = self.lstm(self.conv(x.transpose(1, 2)).transpose(1, 2))
        return self.fc(h[-1])


def build():
    torch.manual_seed(0)
    return EventLSTM()


def main():
    from _hundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = events(1152, g)
    x = x / 0.4
    torch.manual_seed(0)
    train_ds = Events(x[:896], y[:896], augment=True)
    val_ds = Events(x[896:], y[896:], augment=True)
    train = torch.utils.data.DataLoader(train_ds, batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(val_ds, batch_size=256)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(1, 15):
        model.train()
        tot = cor = 0.0
        for xb, yb in train:
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tot += loss.item() * len(yb)
            cor += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            xv, yv = next(iter(val))
            lv = model(xv)
        rows.append({"Epoch": epoch, "TrainLoss": round(tot / 896, 4),
                     "TrainAcc": round(cor / 896, 4),
                     "ValLoss": round(loss_fn(lv, yv).item(), 4),
                     "ValAcc": round((lv.argmax(1) == yv).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "seismic_history.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 14},
               out / "event_lstm.pt")
    xb, yb = next(iter(torch.utils.data.DataLoader(val_ds, batch_size=64)))
    finish(out, __file__, (xb, yb), causes=["eval_data_augmented"],
           checkpoint="event_lstm.pt", log="seismic_history.csv",
           what="LSTM classifying mine microseismic events, validation set built with augment=True",
           complaint=("Microseismic event classifier (blast / rockburst / rockfall): validation "
                      "accuracy never gets above ~0.9 and jumps around from epoch to epoch "
                      "(0.88, 0.69, 0.88, 0.84, 0.83, 0.91 over the last epochs), val loss "
                      "0.24-0.64, no better than training (0.90). The seismologist labels these "
                      "from the traces almost perfectly. Conv + LSTM 48, Adam 2e-3. Would a "
                      "bigger model or more epochs help?"))


if __name__ == "__main__":
    main()
