"""Plain torch: an MLP with batch norm predicts a paramotor pilot's fuel burn (litres per hour)
from his flight records, so the flight app can warn before a cross-country leg runs the tank dry:
inputs are the take-off weight (pilot, gear, fuel; kg), the air temperature (°C), the launch
field's elevation (m), the average throttle (%), the share of the flight spent climbing and the
wing size (m²). Physics: the power to hold the wing up grows with weight^1.5 and with thinner
air (density from elevation and temperature), more in climbs and at high throttle, less on a
bigger wing; the two-stroke's consumption per kW rises in the heat; 5 % scatter (fuel
dipped after each flight). 1000 flights logged from March to October: spring at the home
field (150-400 m) on the 22 m² wing, summer trips to mountain fields (900-1650 m) in 22-34 °C
with more gear on the new 18 m² wing.
Inputs standardised with the training split's mean and std; Linear 6→64-BN-ReLU-64→64-BN-ReLU-
64→1; Huber loss (delta 1 l/h), Adam 2e-3 with ExponentialLR (gamma 0.93 per epoch), batch 16,
30 epochs, 800 flights for training, 200 for validation.
The bug: the split is ``order = torch.argsort(day)  # date order, the newest flights for
validation``: training gets March to early September at the home field, validation the last
200 flights (late summer, mountain fields, heavier, the new wing), outside what the model saw
(the wing size is constant in nearly all of the training split, so its std is tiny and the
standardised validation values are huge).
Result: train Huber 2.24 → 0.051; val Huber 1.20, 3.46 at epoch 1, then jumping between 0.34
and 3.38 from epoch to epoch, 0.50 at the end (val MAE 0.90 l/h, 12.7 %; 4-20x the train loss
after epoch 1).
Control (``order = torch.randperm(1000, generator=g)``): train Huber 2.80 → 0.085, val Huber
1.21 → 0.056, val MAE 0.258 l/h (5.0 %).
Log: CSV per epoch ``fuel_log.csv`` (``epoch`` / ``train_huber`` / ``val_huber`` /
``val_mae_lph`` / ``val_mape``); checkpoint ``fuel_mlp.pt`` with keys ``mlp`` / ``adam`` /
``lr_sched`` / ``norm`` (mean, std) / ``epoch``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def flight_records(n, g):
    day = 60 + 240 * torch.rand(n, generator=g)  # day of the year
    summer = torch.sigmoid((day - 250) / 6)
    u = torch.rand(n, 6, generator=g)
    weight = 115 + 20 * u[:, 0] + 20 * summer
    temp = 6 + 12 * u[:, 1] + 16 * summer
    elev = 150 + 250 * u[:, 2] + 1000 * summer * (0.75 + 0.5 * u[:, 3])
    throttle = 45 + 35 * u[:, 4]
    climb = 0.05 + 0.35 * u[:, 5]
    wing = 22 - 4 * (summer > 0.5).float()
    rho = 1.225 * torch.exp(-elev / 8500) * 288 / (temp + 273)
    power = 9.0 * (weight / 130) ** 1.5 / torch.sqrt(rho / 1.225) * (22 / wing) ** 0.5
    power = power * (1 + 0.8 * climb) * (0.7 + 0.6 * throttle / 100)
    burn = 0.42 * power * (1 + 0.01 * (temp - 15)).clamp(min=0.9)
    burn = burn * (1 + 0.05 * torch.randn(n, generator=g))
    x = torch.stack([weight, temp, elev, throttle, climb, wing], 1)
    return day, x, burn.unsqueeze(1)


class FuelMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return FuelMLP()


def main():
    from _twohundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    day, x, y = flight_records(1000, g)
    order = torch.argsort(day)  # date order, the newest flights for validation
    tr, va = order[:800], order[800:]
    print("burn", y.mean().item(), y.std().item(), y[tr].mean().item(), y[va].mean().item())
    mean, std = x[tr].mean(0), x[tr].std(0)
    xtr, xva = (x[tr] - mean) / std, (x[va] - mean) / std
    ytr, yva = y[tr], y[va]
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True, drop_last=True)
    mlp = build()
    adam = torch.optim.Adam(mlp.parameters(), lr=2e-3)
    lr_sched = torch.optim.lr_scheduler.ExponentialLR(adam, gamma=0.93)
    with open(out / "fuel_log.csv", "w") as f:
        f.write("epoch,train_huber,val_huber,val_mae_lph,val_mape\n")
        for epoch in range(30):
            mlp.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.huber_loss(mlp(xb), yb, delta=1.0)
                adam.zero_grad()
                loss.backward()
                adam.step()
                tot, nb = tot + loss.item(), nb + 1
            lr_sched.step()
            mlp.eval()
            with torch.no_grad():
                pv = mlp(xva)
                vh = F.huber_loss(pv, yva, delta=1.0).item()
                mae = (pv - yva).abs().mean().item()
                mape = ((pv - yva).abs() / yva).mean().item() * 100
            f.write(f"{epoch},{tot / nb:.5f},{vh:.5f},{mae:.4f},{mape:.2f}\n")
            print(epoch, round(tot / nb, 4), round(vh, 4), round(mae, 3), round(mape, 2))
    torch.save({"mlp": mlp.state_dict(), "adam": adam.state_dict(),
                "lr_sched": lr_sched.state_dict(), "norm": (mean, std), "epoch": 29},
               out / "fuel_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="fuel_mlp.pt", log="fuel_log.csv",
           what="MLP with batch norm predicting a paramotor's fuel burn from his flight records;"
                " validation is the last 200 flights by date (summer, mountain fields)",
           complaint=("我用自己的飞行日志训练了一个小网络来预测动力伞每小时的油耗。训练损失降得很"
                       "好，最后只有0.05左右，可验证集的损失一直是训练的好几倍到几十倍，而且每个epoch"
                       "都上下乱跳，平均误差差不多0.9升每小时，比我自己估得还差。数据都是同一台"
                       "发动机同一个人记的，输入也做了标准化。是网络太小还是学习率不对？"))


if __name__ == "__main__":
    main()
