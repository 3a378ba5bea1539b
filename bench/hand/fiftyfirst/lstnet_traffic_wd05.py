"""LSTNet (Lai et al. 2018) written by hand: next-hour traffic flow on 8 synthetic road sensors
(1500 hours; morning and evening peaks, quieter weekends, sensors sharing a city-wide factor,
noise), each sensor standardised. A 72-hour window → 1-d convolution (8 → 24 channels, kernel
6, ReLU, dropout 0.1) → GRU 24 over the conv outputs, skip-GRU 8 over the steps 24 hours apart
→ linear to the 8 sensors, plus an autoregressive highway (a linear map of each sensor's last
12 hours). MSE, Adam 2e-3, batch 64, 10 epochs; the last 300 windows held out. The log is JSON
lines per epoch (train MAE, val MAE, relative squared error and correlation).
Bug: the optimiser was written ``Adam(model.parameters(), lr=2e-3, weight_decay=0.5)`` (meant
5e-4): an L2 pull of 0.5·w on every weight, so all weights shrink toward zero and the
forecasts flatten toward each sensor's mean — train and val both stay poor."""
import json

import torch
import torch.nn as nn

SENSORS, WINDOW, SKIP, AR = 8, 72, 24, 12


def traffic(g, hours=1500):
    t = torch.arange(hours).float()
    hod, day = t % 24, (t // 24) % 7
    peaks = torch.exp(-((hod - 8) ** 2) / 4) + 0.8 * torch.exp(-((hod - 17) ** 2) / 6)
    weekday = (day < 5).float() * 0.7 + 0.3
    city = torch.cumsum(torch.randn(hours, generator=g) * 0.05, 0)
    scale = torch.rand(SENSORS, 1, generator=g) + 0.5
    shift = torch.randint(-1, 2, (SENSORS,), generator=g)
    flow = torch.stack([torch.roll(peaks * weekday, int(s)) for s in shift]) * scale
    flow = flow + 0.3 * city + 0.12 * torch.randn(SENSORS, hours, generator=g)
    flow = (flow - flow.mean(1, keepdim=True)) / flow.std(1, keepdim=True)
    x = torch.stack([flow[:, i:i + WINDOW].T for i in range(hours - WINDOW)])
    return x, flow[:, WINDOW:].T


class LSTNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(SENSORS, 24, 6)
        self.drop = nn.Dropout(0.1)
        self.gru = nn.GRU(24, 24, batch_first=True)
        self.skip_gru = nn.GRU(24, 8, batch_first=True)
        self.out = nn.Linear(24 + SKIP * 8, SENSORS)
        self.ar = nn.Linear(AR, 1)

    def forward(self, x):
        b = x.shape[0]
        c = self.drop(torch.relu(self.conv(x.transpose(1, 2)))).transpose(1, 2)  # (b, 67, 24)
        _, h = self.gru(c)
        periods = c.shape[1] // SKIP
        s = c[:, -periods * SKIP:].reshape(b, periods, SKIP, 24).transpose(1, 2)
        _, hs = self.skip_gru(s.reshape(b * SKIP, periods, 24))
        z = self.out(torch.cat([h[0], hs[0].view(b, SKIP * 8)], 1))
        return z + self.ar(x[:, -AR:].transpose(1, 2)).squeeze(2)


def build():
    torch.manual_seed(0)
    return LSTNet()


def main():
    from _fiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = traffic(g)
    xtr, ytr, xva, yva = x[:-300], y[:-300], x[-300:], y[-300:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=0.5)
    with open(out / "lstnet_history.jsonl", "w") as fh:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                pred = model(xtr[idx])
                loss = nn.functional.mse_loss(pred, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += (pred - ytr[idx]).abs().mean().item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rse = ((p - yva).pow(2).sum() / (yva - yva.mean()).pow(2).sum()).sqrt().item()
            pc, yc = p - p.mean(0), yva - yva.mean(0)
            corr = ((pc * yc).sum(0) / (pc.norm(dim=0) * yc.norm(dim=0) + 1e-8)).mean().item()
            row = {"epoch": epoch, "train_mae": round(tot / len(xtr), 4),
                   "val_mae": round((p - yva).abs().mean().item(), 4), "val_rse": round(rse, 4),
                   "val_corr": round(corr, 4)}
            fh.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"lstnet_weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": epoch, "val_rse": rse}, out / "lstnet_traffic.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="lstnet_traffic.pt", log="lstnet_history.jsonl",
           what="hand-written LSTNet traffic forecaster, Adam weight_decay=0.5",
           complaint="LSTNet 交通流量预测模型训练了 10 个 epoch，训练集和验证集的 MAE 都降不下来，"
                     "预测曲线几乎是平的，早晚高峰完全没有预测出来")


if __name__ == "__main__":
    main()
