"""Plain torch: an LSTM predicts when first crack will come (seconds after charge) from the
first 4 minutes of a coffee roasting batch, so the roaster can plan the development phase: 48
steps × 4 channels (bean temperature, rate of rise, gas setting, drum airflow, every 5 s). First
crack comes later for a lower charge temperature, less gas, more airflow and a bigger load; the
target is standardised (mean 520 s, sd 85 s). The logger exports come with gaps: about 3 % of
the batches have no first-crack mark (NaN target) and about 4 % had a thermocouple drop-out, a
run of 2–5 samples where the logger wrote NaN for bean temperature and rate of rise.
LSTM(4→48) + Linear(48→1) on the last state, Adam 3e-3, batch 32, 20 epochs of ~1050
batches, MSE; per-epoch CSV log (train MSE, val MSE, val MAE in seconds).
The bug: ``clean()`` drops the rows whose *target* is NaN (``keep = ~torch.isnan(y)``) but not
the ones with NaN *inputs*: 46 of the 1048 training profiles (and 7 of the 64 saved validation
profiles) still hold NaN readings. The first batch that holds one gives a NaN loss, Adam writes
NaN into every weight, and the log is ``nan`` for train MSE, val MSE and val MAE from epoch 0 to
19; the checkpoint's weights are all NaN.
Control (``keep = ~torch.isnan(y) & ~torch.isnan(x).any((1, 2))``, 1002 / 250 profiles): val
MSE 0.089 after epoch 1, 0.012 at epoch 7, 0.0117 at epoch 20 (val MAE 20.4 s → 7.6 s), train
MSE 0.0121."""
import csv

import torch
import torch.nn as nn

T = 48


def batches(n, g):
    r = lambda lo, hi: lo + (hi - lo) * torch.rand(n, 1, generator=g)  # noqa: E731
    charge, gas, air, load = r(185, 225), r(0.5, 1.0), r(0.2, 0.8), r(0.6, 1.0)
    gas_t = (gas + 0.1 * torch.randn(n, T, generator=g).cumsum(1) / 7).clamp(0.3, 1.1)
    heat = gas_t * 1.2 - 0.35 * air - 0.5 * (load - 0.6)
    bt = torch.empty(n, T)
    temp = charge[:, 0].clone()
    for k in range(T):
        target = 90 + 150 * heat[:, k]
        temp = temp + 0.06 * (target - temp) + (0.7 * heat[:, k] if k > 10 else 0)
        bt[:, k] = temp
    bt = bt + 0.6 * torch.randn(bt.shape, generator=g)
    ror = torch.diff(bt, dim=1, prepend=bt[:, :1]) * 12
    fc = (520 - 400 * (heat.mean(1) - 0.62) - 1.5 * (charge[:, 0] - 205)
          + 8 * torch.randn(n, generator=g))
    x = torch.stack([(bt - 150) / 40, ror / 30, gas_t, air.expand(n, T)], 2)
    for i in torch.nonzero(torch.rand(n, generator=g) < 0.04).flatten().tolist():
        s = int(torch.randint(5, T - 6, (1,), generator=g))  # thermocouple dropout: logger
        x[i, s:s + int(torch.randint(2, 6, (1,), generator=g)), :2] = float("nan")  # writes NaN
    fc[torch.rand(n, generator=g) < 0.03] = float("nan")  # first crack not marked
    return x, (fc - 520) / 85


def clean(x, y):
    keep = ~torch.isnan(y)  # drop batches where the roaster didn't mark first crack
    return x[keep], y[keep]


class CrackLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return CrackLSTM()


def main():
    from _hundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clean(*batches(1100, g))
    xva, yva = clean(*batches(280, g))
    print(len(ytr), len(yva), "target sd", ytr.std().item(),
          "rows with NaN input", torch.isnan(xtr).any((1, 2)).sum().item())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    mse = nn.MSELoss()
    f = open(out / "crack_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_mse", "val_mse", "val_mae_s"])
    for epoch in range(20):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = mse(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
        row = [epoch, round(tot / len(ytr), 4), round(mse(pv, yva).item(), 4),
               round(85 * (pv - yva).abs().mean().item(), 2)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "epoch": 20,
                "target_mean_s": 520.0, "target_sd_s": 85.0}, out / "first_crack_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="first_crack_lstm.pt", log="crack_train.csv",
           what="LSTM regression of coffee first-crack time; rows with NaN thermocouple"
                " readings kept (only NaN targets dropped)",
           complaint=("First-crack predictor for our shop roaster (LSTM on the first 4 minutes "
                      "of the roast log): train MSE, val MSE and val MAE are all nan from the "
                      "very first epoch and stay nan for all 20 epochs. I already drop every "
                      "roast where first crack wasn't marked, so the targets are clean. Adam "
                      "3e-3, batch 32, standardised target. Is the LSTM numerically unstable?"))


if __name__ == "__main__":
    main()
