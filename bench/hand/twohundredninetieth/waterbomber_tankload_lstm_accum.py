"""Plain torch: an LSTM reads a water bomber's pickup run second by second (ground speed,
probe depth, swell) and gives the water load in the tanks at lift-off, so the base can log each
drop's volume without the tank sight gauge. Physics: the probes take in water at a rate
proportional to speed × immersion depth, minus a loss to spray that grows with swell; above
82 kt the hull skips and the probes take almost nothing; the tanks hold 6 t and overflow
through the vents once full. Runs are 20 s of 1 Hz readings; speed wanders 60-90 kt, depth
0-0.3 m.
Input: (20, 3) speed / 100 kt, depth / 0.3 m, swell band / 9; target tank load / 6 t.
LSTM 3→48, last state → 48→1; MSE, SGD momentum 0.9 at 0.3, micro-batches of 16 with 8 of them
accumulated per step (effective batch 128), 20 epochs, 2560 runs, validation on 512.
The bug: the loss of each micro-batch is backpropagated as it is (``loss.backward()`` under a
comment about accumulating over 8 micro-batches), never divided by the 8, so each optimizer step
applies the sum of 8 mean gradients: 8 times the step the learning rate was picked for. Effect
vs the control (``(loss / ACCUM).backward()``): the step loss goes 0.27, 10.9, 48.9, 46433 in
the first 4 steps and is nan from then on, val MSE nan in all 20 epochs; the control's val
MSE 0.0568 → 0.0111 (best 0.0057 at epoch 18, target variance 0.0338), MAE 1233 → 524 kg.
Log: CSV per optimizer step ``tankload_steps.csv`` (``epoch`` / ``step`` / ``loss``) and a
separate per-epoch ``tankload_val.csv`` (``epoch`` / ``val_mse`` / ``val_mae_kg``, named as the
log in the truth); checkpoint ``tankload_lstm.pt`` with keys ``lstm`` / ``optimizer`` /
``epoch`` / ``accum_steps`` / ``tank_t``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 20
ACCUM = 8


def pickups(n, g):
    speed = 75 + 15 * torch.cumsum(0.3 * torch.randn(n, T, generator=g), 1).clamp(-1, 1)
    depth = (0.15 + 0.1 * torch.randn(n, T, generator=g)).clamp(0, 0.3)
    swell = torch.randint(0, 7, (n, 1), generator=g).float() + torch.randint(
        0, 3, (n, T), generator=g).float()
    intake = 0.0011 * speed * depth / 0.3 * (1 - 0.06 * swell).clamp(min=0)
    intake = torch.where(speed > 82, 0.1 * intake, intake)
    load = intake.sum(1).clamp(max=1.0)
    x = torch.stack([speed / 100, depth / 0.3, swell / 9], 2)
    return x, load.unsqueeze(1)


class TankLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1])


def build():
    torch.manual_seed(0)
    return TankLSTM()


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pickups(2560, g)
    xva, yva = pickups(512, g)
    print("load/6t", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    fs = open(out / "tankload_steps.csv", "w")
    fv = open(out / "tankload_val.csv", "w")
    fs.write("epoch,step,loss\n")
    fv.write("epoch,val_mse,val_mae_kg\n")
    step = 0
    for epoch in range(20):
        model.train()
        opt.zero_grad()
        run = 0.0
        for i, (xb, yb) in enumerate(loader):
            loss = F.mse_loss(model(xb), yb)
            loss.backward()  # accumulate over 8 micro-batches (effective batch 128)
            run += loss.item() / ACCUM
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
                fs.write(f"{epoch},{step},{run:.6f}\n")
                run = 0.0
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vm = F.mse_loss(p, yva).item()
            mae = (p - yva).abs().mean().item() * 6000
        fv.write(f"{epoch},{vm:.6f},{mae:.2f}\n")
        print(epoch, round(vm, 5), round(mae, 1))
    fs.close()
    fv.close()
    torch.save({"lstm": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 20,
                "accum_steps": ACCUM, "tank_t": 6.0}, out / "tankload_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="tankload_lstm.pt", log="tankload_val.csv",
           what="LSTM giving a water bomber's tank load from the pickup run; accumulated"
                " micro-batch losses never divided by the 8 accumulation steps",
           complaint="We log every pickup run on the lake (speed, probe depth, swell each"
                     " second) and train a small LSTM to give the tonnes in the tanks at"
                     " lift-off. Within the first epoch the loss turns into nan and the"
                     " validation error is nan for every epoch after. The inputs have no"
                     " missing values and are all scaled to about 0-1. What is going on?")


if __name__ == "__main__":
    main()
