"""Plain torch: a 1-D CNN (no normalisation layers) estimates how much snow a snowmaking system
will put on a trail in one night (m3 of settled snow) from the night's 24 hourly
weather-station readings, so the mountain manager can plan which trails open first: wet-bulb
temperature (C), wind speed (m/s) and the water the pump house can deliver (L/s, limited by
the pond level and the other trails running). Physics per hour: guns run only below -2.5 C wet
bulb; the output per L/s grows the colder the wet bulb is, wind over 6 m/s blows part of the
plume off the trail; the night's total is the sum of the hours, 4 % survey scatter. About 9 %
of the nights have 2-8 hours with no wind reading (the wind sensor iced up; the station writes
NaN).
Inputs per hour: wet bulb / 10, wind / 10, water / 100; target m3 / 5000.
Conv1d 3→32 k3-ReLU, 32→32 k3 dilation 2-ReLU, 32→32 k3 dilation 4-ReLU, mean over the night,
linear 32→32-ReLU-32→1, MSE, AdamW 1e-3 (weight decay 1e-4) constant, batch 32, 20 epochs,
1600 nights, validation on 400.
The bug: the gap fill, ``wind = torch.where(wind.isnan(), wind.mean(), wind)  # iced-up
wind sensor hours: fill with the mean wind`` — ``wind.mean()`` of a tensor with NaNs in it is
NaN, so the filled hours stay NaN and the NaN goes straight into the net.
Result: train MSE nan from the first epoch (138 of the 1600 training nights carry NaN hours, so
nearly every batch of 32 has one), val MSE and val MAE nan every epoch, every saved weight NaN.
Control (``wind.nanmean()``): train MSE 0.600 → 0.0026, val MSE 0.119 → 0.0026 (val MAE 1395 →
169 m3 on nights of 0-15 800 m3, noisy: 0.0048 at epoch 8, 0.0051 at epoch 16).
Log: TSV per epoch ``night_fit.tsv`` (``epoch`` / ``mse`` / ``val_mse`` / ``val_mae_m3``) and TSV
every 10 steps ``night_steps.tsv`` (``step`` / ``mse``); checkpoint ``night_cnn.pt`` with keys
``cnn`` / ``adamw`` / ``epochs_done``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HOURS = 24


def nights(n, g):
    h = torch.arange(HOURS).float()
    base = -12 + 14 * torch.rand(n, 1, generator=g)
    swing = 2 + 3 * torch.rand(n, 1, generator=g)
    twb = base - swing * torch.cos(2 * torch.pi * (h - 4) / 24) + 0.6 * torch.randn(n, HOURS, generator=g)
    wind = (2 + 8 * torch.rand(n, 1, generator=g)) * (1 + 0.3 * torch.randn(n, HOURS, generator=g))
    wind = wind.clamp(min=0)
    water = (60 + 60 * torch.rand(n, 1, generator=g)).expand(n, HOURS).clone()
    water = water * (1 - 0.3 * (torch.rand(n, HOURS, generator=g) < 0.1).float())
    per_ls = (-(twb + 2.5)).clamp(min=0) ** 0.8 * 0.9  # m3 per L/s per hour
    landed = 1 - 0.4 * torch.sigmoid(wind - 6)
    total = (water * per_ls * landed).sum(1) * (1 + 0.04 * torch.randn(n, generator=g))
    gaps = torch.rand(n, generator=g) < 0.09
    for i in torch.nonzero(gaps).flatten().tolist():
        s = torch.randint(0, HOURS - 8, (1,), generator=g).item()
        ln = torch.randint(2, 9, (1,), generator=g).item()
        wind[i, s:s + ln] = float("nan")
    return twb, wind, water, total


def to_inputs(twb, wind, water):
    wind = torch.where(wind.isnan(), wind.mean(), wind)  # iced-up wind sensor hours: fill with the mean wind
    return torch.stack([twb / 10, wind / 10, water / 100], 1)


class NightCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(3, 32, 3, padding=1), nn.ReLU(),
            nn.Conv1d(32, 32, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv1d(32, 32, 3, padding=4, dilation=4), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.conv(x).mean(2)).squeeze(1)


def build():
    torch.manual_seed(0)
    return NightCNN()


def main():
    from _twohundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    t, w, q, ytr = nights(1600, g)
    xtr = to_inputs(t, w, q)
    t, w, q, yva = nights(400, g)
    xva = to_inputs(t, w, q)
    ytr, yva = ytr / 5000, yva / 5000
    print("night m3", (5000 * ytr).min().item(), (5000 * ytr).max().item(),
          "nan inputs", xtr.isnan().any(2).any(1).sum().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    step = 0
    with open(out / "night_fit.tsv", "w") as f, open(out / "night_steps.tsv", "w") as fs:
        f.write("epoch\tmse\tval_mse\tval_mae_m3\n")
        fs.write("step\tmse\n")
        for epoch in range(1, 21):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    fs.write(f"{step}\t{loss.item():.6f}\n")
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                v = F.mse_loss(p, yva).item()
                mae = 5000 * (p - yva).abs().mean().item()
            row = f"{epoch}\t{tot / n:.6f}\t{v:.6f}\t{mae:.2f}"
            print(row)
            f.write(row + "\n")
    torch.save({"cnn": model.state_dict(), "adamw": opt.state_dict(), "epochs_done": 20},
               out / "night_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="night_cnn.pt", log="night_fit.tsv",
           what="dilated 1-D CNN estimating a night's snowmaking output from hourly weather;"
                " wind sensor gaps filled with a NaN mean",
           complaint=("我用气象站每小时的湿球温度、风速和供水量训练了一个一维卷积网络，想预测一晚上造雪"
                      "能造出多少方雪。结果训练第一轮损失就变成 nan，验证集也全是 nan，保存下来的权重"
                      "也全是 nan。我把学习率降到很小也一样，数据我画过图，数值范围都很正常。"
                      "这是怎么回事？"))


if __name__ == "__main__":
    main()
