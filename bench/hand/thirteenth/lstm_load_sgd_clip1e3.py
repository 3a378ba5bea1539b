"""LSTM forecaster for a feeder's electricity load: from the last 48 half-hourly readings
(standardised, plus hour-of-day sin/cos) predict the next reading. Daily and weekly cycles,
temperature-driven swings and noise. LSTM(3 -> 32), linear head on the last hidden state,
MSE, SGD lr 0.05 momentum 0.9, batch 64, 10 epochs, gradient clipping as the LSTM recipes
do. Bug: ``clip_grad_norm_(model.parameters(), max_norm=1e-3)`` -- the author wanted 1.0 and
typed the lr-like value; every step is clipped to a norm of 0.001, so the model moves ~1000x
slower than asked: the val MSE only goes 0.99 -> 0.89 (the persistence forecast is at 0.041;
max_norm=1.0: val MSE 0.019). The logged ``grad_norm`` is the norm before clipping."""
import csv
import math

import torch
import torch.nn as nn

WIN = 48
MAX_NORM = 1e-3  # BUG: meant 1.0


def load_series(n, g):
    t = torch.arange(n, dtype=torch.float32)
    hour = (t % 48) / 2
    temp = torch.cumsum(0.05 * torch.randn(n, generator=g), 0)
    temp = temp - temp.mean()
    load = 300 + 80 * torch.sin(2 * math.pi * (hour - 7) / 24) + 30 * torch.sin(
        2 * math.pi * t / (48 * 7)) + 25 * temp + 8 * torch.randn(n, generator=g)
    z = (load - load.mean()) / load.std()
    feats = torch.stack([z, torch.sin(2 * math.pi * hour / 24),
                         torch.cos(2 * math.pi * hour / 24)], 1)
    x = torch.stack([feats[i:i + WIN] for i in range(n - WIN)])
    return x, z[WIN:]


class LoadLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return LoadLSTM()


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = load_series(2600, g)
    tx, ty, vx, vy = x[:2000], y[:2000], x[2000:], y[2000:]
    persistence = (vx[:, -1, 0] - vy).pow(2).mean().item()
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = open(out / "load_metrics.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "step", "train_mse", "val_mse", "persistence_mse", "grad_norm"])
    step = 0
    for epoch in range(10):
        model.train()
        se = 0.0
        for idx in torch.randperm(2000, generator=g).split(64):
            loss = nn.functional.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            gn = nn.utils.clip_grad_norm_(model.parameters(), max_norm=MAX_NORM)
            opt.step()
            step += 1
            se += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = nn.functional.mse_loss(model(vx), vy).item()
        w.writerow([epoch, step, round(se / 2000, 4), round(vl, 4), round(persistence, 4),
                    round(float(gn), 4)])
        print(epoch, round(se / 2000, 4), round(vl, 4), round(persistence, 4), round(float(gn), 4))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "load_lstm.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_low"],
           checkpoint="load_lstm.pt", log="load_metrics.csv",
           what="LSTM load forecaster, SGD with clip_grad_norm_(max_norm=1e-3)",
           complaint="my LSTM load forecaster learns extremely slowly: after 10 epochs the "
                     "validation MSE is still far worse than just repeating the last reading")


if __name__ == "__main__":
    main()
