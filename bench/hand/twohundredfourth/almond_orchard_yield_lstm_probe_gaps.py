"""Plain torch: an LSTM forecasts an almond orchard's kernel yield (standardised lb/acre) from
26 weekly records of the season (January to June): mean air temperature, chill portions gained,
rainfall, irrigation deficit and soil moisture from a capacitance probe. The yield is set by
the winter chill total, warm bee-flight weather during bloom (weeks 6–9), bloom frost, and
water stress in weeks 14–22, plus orchard noise. LSTM(5→32), last hidden state → Linear(32→1),
MSE, Adam 3e-3, batch 32, 15 epochs of 1280 orchard-seasons; a CSV row every step, the val
column filled at each epoch's end.
The bug: in 0.8 % of the orchard-seasons the soil-moisture probe dropped out for a few weeks
and the export writes those weeks as NaN. The script standardises with ``torch.nanmean`` /
a nan-aware std (so the statistics are fine) but never fills the gaps, so those weeks stay NaN
after scaling. The first batch that holds one (step 9) turns the loss and then every weight
NaN: train MSE 0.60, 0.83, 0.69, 1.12, 1.01, 1.38, 1.37, 0.60 for steps 1–8, NaN from step 9 to
the end, val MSE NaN every epoch. Control (``torch.nan_to_num`` around the scaling, gaps → the
mean, one ``sed``): val MSE 0.225 after epoch 1, 0.143 at 4, 0.066 at 15."""
import csv

import torch
import torch.nn as nn

WEEKS = 26


def seasons(n, g):
    t = torch.arange(WEEKS).float()
    temp = (8 + 0.6 * t + 2.5 * torch.randn(n, 1, generator=g)
            + 2.0 * torch.randn(n, WEEKS, generator=g))
    chill = (torch.relu(12 - temp) * 0.3 * (t < 8)).clamp(max=3) + 0.2 * torch.rand(n, WEEKS,
                                                                                      generator=g)
    rain = torch.relu(torch.randn(n, WEEKS, generator=g) * 12 + 6 - 0.4 * t)
    deficit = torch.relu(0.3 * t - 2 + 1.5 * torch.randn(n, 1, generator=g)
                         + 0.8 * torch.randn(n, WEEKS, generator=g))
    soil = 32 - 1.2 * deficit + 0.3 * rain + torch.randn(n, WEEKS, generator=g)
    bloom = slice(6, 10)
    yld = (0.35 * chill.sum(1) + 0.3 * (temp[:, bloom] > 13).float().sum(1)
           - 0.8 * (temp[:, bloom] < 2).float().sum(1) - 0.12 * deficit[:, 14:23].sum(1)
           + 0.4 * torch.randn(n, generator=g))
    x = torch.stack([temp, chill, rain, deficit, soil], 2)
    y = (yld - yld.mean()) / yld.std()
    return x, y.unsqueeze(1)


class YieldLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return YieldLSTM()


def main():
    from _twohundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = seasons(1600, g)
    gaps = torch.rand(1600, generator=g) < 0.008  # probe dropouts, written as NaN by the export
    for i in gaps.nonzero().flatten().tolist():
        w = int(torch.randint(0, WEEKS - 3, (1,), generator=g))
        x[i, w:w + 3, 4] = float("nan")
    print("seasons with gaps", gaps.nonzero().flatten().tolist())
    mu = torch.nanmean(x[:1280], dim=(0, 1))
    sd = torch.nanmean((x[:1280] - mu) ** 2, dim=(0, 1)).sqrt()
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.MSELoss()
    step = 0
    with open(out / "yield_train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "train_mse", "val_mse"])
        for epoch in range(1, 16):
            model.train()
            perm = torch.randperm(1280, generator=g)
            for i in range(0, 1280, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                val = ""
                if i + 32 >= 1280:
                    model.eval()
                    with torch.no_grad():
                        val = f"{loss_fn(model(xva), yva).item():.4f}"
                    print(epoch, loss.item(), val)
                w.writerow([step, epoch, f"{loss.item():.4f}", val])
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "global_step": step, "epoch": 15}, out / "yield_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="yield_lstm.pt", log="yield_train.csv",
           what="almond orchard yield LSTM; soil-probe dropout weeks stay NaN after nan-aware "
                "standardisation",
           complaint=("扁桃园产量预测的 LSTM：训练第 9 步开始 loss 就变成 nan，之后全是 nan，"
                      "每个 epoch 的验证 MSE 也都是 nan。前 8 步还正常（0.6 到 1.4 之间）。"
                      "Adam 学习率 3e-3，batch 32，1280 个果园季。是学习率太大导致梯度爆炸吗？"
                      "要不要加梯度裁剪？"))


if __name__ == "__main__":
    main()
