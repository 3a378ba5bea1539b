"""Plain torch: an LSTM estimates the sand caught in a vertical trap on a sand dune crest over
two days (kg per metre of trap width) from 48 hourly readings of a crest met station: wind
speed at 2 m (m/s), sin and cos of the wind direction, and surface moisture (volumetric %).
Sand moves only above a saltation threshold that rises with surface moisture; the hourly flux
goes with u·(u² - u_t²) above it (Lettau-style), the trap catches the component across its
opening (it faces west), and the total has 12 % multiplicative noise. Readings standardised
with training mean/std per channel, target log1p-scaled. LSTM(4→48) → Linear 48→1 on the last
state, MSE on the log1p catch, Adam 2e-3 with StepLR(step_size=4, gamma=0.5) meant as "halve
every 4 epochs", batch 32, 20 epochs of 1280 two-day records, validation on 320 records (val
MSE, val MAE in kg/m).
The bug: ``sched.step()`` sits inside the batch loop, after ``opt.step()``, so the learning rate
halves every 4 batches (40 batches an epoch): 2e-3 → 1.9e-6 at the end of epoch 1 and below
1e-30 by epoch 8. Result: the logged step loss 4.41 → 2.95 in the first 20 steps, then
3.0-4.0 and 2.59 at step 800; val MSE 3.588 after epoch 1 and 3.587 at every epoch after (val
MAE 11.32 kg/m, about the mean catch of 12.3 kg/m: the model barely moved).
Control (``sched.step()`` moved out of the batch loop, once per epoch): step loss 4.05 → 1.27
by step 20 → 0.039 at step 800, val MSE 0.321 → 0.038, val MAE 6.13 → 1.80 kg/m, lr 2e-3 →
6.25e-5.
Log: a CSV per step every 10 batches (``step`` / ``epoch`` / ``loss`` / ``lr``) in
``trap_steps.csv`` and a separate per-epoch CSV ``trap_val.csv`` (``epoch`` / ``val_mse`` /
``val_mae_kg_m``; the file named as the log in the truth); checkpoint ``trap_lstm.pt`` with keys
``lstm_state`` / ``adam_state`` / ``steplr_state`` / ``epoch`` / ``mast_mean`` / ``mast_std``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = 48


def records(n, g):
    base = 3 + 6 * torch.rand(n, 1, generator=g)
    diurnal = 2.0 * torch.sin(2 * math.pi * (torch.arange(H) - 9) / 24).clamp(min=0)
    gust = 1.5 * torch.randn(n, H, generator=g)
    u = (base + diurnal + gust).clamp(min=0)
    prev = 2 * math.pi * torch.rand(n, 1, generator=g)
    theta = prev + 0.5 * torch.randn(n, H, generator=g).cumsum(1) / 4
    moist = (4 * torch.rand(n, 1, generator=g) * torch.exp(-torch.arange(H) / 30.0)
             + 0.3 * torch.rand(n, H, generator=g))
    ut = 5.0 + 0.8 * moist
    flux = 0.004 * u * (u ** 2 - ut ** 2).clamp(min=0)
    catch = (flux * torch.sin(theta).clamp(min=0)).sum(1)
    catch = catch * (1 + 0.12 * torch.randn(n, generator=g))
    return torch.stack([u, torch.sin(theta), torch.cos(theta), moist], 2), catch.clamp(min=0)


class TrapLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return TrapLSTM()


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ctr = records(1280, g)
    rva, cva = records(320, g)
    print("catch kg/m: mean", ctr.mean().item(), "median", ctr.median().item())
    mean, std = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = torch.log1p(ctr), torch.log1p(cva)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)  # halve every 4 epochs
    step = 0
    with open(out / "trap_steps.csv", "w") as fs, open(out / "trap_val.csv", "w") as fv:
        fs.write("step,epoch,loss,lr\n")
        fv.write("epoch,val_mse,val_mae_kg_m\n")
        for epoch in range(20):
            model.train()
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    fs.write(f"{step},{epoch},{loss.item():.5f},{opt.param_groups[0]['lr']:.3e}\n")
                sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            mae = (torch.expm1(p).clamp(min=0) - cva).abs().mean().item()
            print(epoch, round(vm, 5), round(mae, 4), opt.param_groups[0]["lr"])
            fv.write(f"{epoch},{vm:.5f},{mae:.4f}\n")
    torch.save({"lstm_state": model.state_dict(), "adam_state": opt.state_dict(),
                "steplr_state": sched.state_dict(), "epoch": 19, "mast_mean": mean,
                "mast_std": std}, out / "trap_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="trap_lstm.pt", log="trap_val.csv",
           what="LSTM estimating sand-trap catch on a sand dune crest with StepLR stepped every"
                " batch instead of every epoch",
           complaint=("用 LSTM 根据沙丘顶部气象桅杆 48 小时的风速、风向和表层湿度来估算集沙仪的"
                      "输沙量。训练 20 个 epoch，但从第 2 个 epoch 开始验证集 MSE 就一直是"
                      " 3.587，小数点后三位都不变，MAE 大约 11.3 kg/m，差不多等于平均输沙量，"
                      "训练 loss 也一直在 3 左右晃。数据已经标准化，目标也做了 log1p，Adam"
                      " 2e-3 加 StepLR。模型好像根本没在学，这是为什么？"))


if __name__ == "__main__":
    main()
