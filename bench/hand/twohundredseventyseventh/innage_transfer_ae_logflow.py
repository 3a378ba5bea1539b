"""Plain torch: an autoencoder learns the normal daily transfer pattern of a tank farm's
product tanks, so that days whose profile it cannot rebuild can be flagged for the
loss-control engineer. One sample = one tank-day: 24 hourly transfer volumes (m3/h, from the
change in innage times the strapping-table area). A tank has 1-3 transfers a day (receipts from
the line at 300-1500 m3/h, 2-6 h long, starting at the scheduled batch hour; truck-rack
shipments at 40-120 m3/h spread over the day shift 06-18 h); every other hour it is idle and
the hourly volume is exactly 0; 4 % meter scatter. Volumes are log-scaled before the net sees
them (they span three decades) and divided by the log-scale of 2000 m3/h.
MLP autoencoder 24→64-ReLU-64→8 (code)→64-ReLU-64→24, MSE on the scaled profile, Adam 2e-3,
StepLR(step 10, gamma 0.3), batch 64, 24 epochs of 3000 tank-days, validation on 600.
The bug: the log-scaling is written
``x = torch.log(flow) / math.log(2000.0)  # volumes span 3 decades: compress them``
and an idle hour is exactly 0 m3/h, so every profile holds -inf entries and the first forward
pass is NaN.
Result: train MSE nan from the first batch of epoch 1 on, val MSE nan every epoch, the weights
all NaN after the first step.
Control (``torch.log1p(flow) / math.log1p(2000.0)``): train MSE 0.101 → 0.0119, val MSE
0.0528 → 0.0121 (smooth, still creeping down at epoch 24).
Log: CSV per epoch ``ae_history.csv`` (``epoch`` / ``recon_mse`` / ``val_recon_mse`` /
``lr``) and a per-step file ``ae_steps.csv`` (``step`` / ``mse``); checkpoint
``transfer_ae.pt`` with keys ``state_dict`` / ``optimizer`` / ``scheduler`` / ``epoch`` /
``log_scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def tank_days(n, g):
    flow = torch.zeros(n, 24)
    for i in range(n):
        for _ in range(torch.randint(1, 4, (1,), generator=g).item()):
            if torch.rand(1, generator=g).item() < 0.5:
                start = torch.randint(0, 20, (1,), generator=g).item()
                hours = torch.randint(2, 7, (1,), generator=g).item()
                rate = 300 + 1200 * torch.rand(1, generator=g).item()
            else:
                start = torch.randint(6, 14, (1,), generator=g).item()
                hours = torch.randint(2, 13 - max(0, start - 6), (1,), generator=g).item()
                rate = 40 + 80 * torch.rand(1, generator=g).item()
            flow[i, start:start + hours] += rate
    scatter = 1 + 0.04 * torch.randn(n, 24, generator=g)
    return flow * scatter


class TransferAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 8))
        self.dec = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 24))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return TransferAE()


def scale(flow):
    x = torch.log(flow) / math.log(2000.0)  # volumes span 3 decades: compress them
    return x


def main():
    from _twohundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = scale(tank_days(3000, g))
    xva = scale(tank_days(600, g))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.3)
    step = 0
    with open(out / "ae_history.csv", "w") as fe, open(out / "ae_steps.csv", "w") as fs:
        fe.write("epoch,recon_mse,val_recon_mse,lr\n")
        fs.write("step,mse\n")
        for epoch in range(1, 25):
            model.train()
            tot, n = 0.0, 0
            for (xb,) in loader:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(xb)
                n += len(xb)
                if step % 10 == 0:
                    fs.write(f"{step},{loss.item():.6g}\n")
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                v = F.mse_loss(model(xva), xva).item()
            print(epoch, tot / n, v)
            fe.write(f"{epoch},{tot / n:.6g},{v:.6g},{lr:.6g}\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 24, "log_scale": math.log(2000.0)},
               out / "transfer_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="transfer_ae.pt", log="ae_history.csv",
           what="tank-day transfer-profile autoencoder, log of hourly volumes that are 0 when"
                " the tank is idle",
           complaint=("我在给罐区的储罐做一个自编码器，用每天24小时的收发油量（m3/h）学正常的作业模式，"
                      "想用重建误差来找计量异常。可是训练一开始损失就是 nan，验证集也全是 nan，"
                      "保存下来的权重也都是 nan。数据我画过，都是正常的数，没有缺失值。"
                      "学习率调小到 1e-4 也一样。这是哪里出了问题？"))


if __name__ == "__main__":
    main()
