"""Plain torch: a vanilla RNN forecasts the next accelerometer reading on a lathe's tool rest
while a bowl blank is being turned, from the last readings (one every 2 ms) plus the spindle
speed (rpm) and the tool's overhang past the rest (mm). The signal is the blank's out-of-round
once per revolution, plus chatter: a ringing at the tool's own frequency (falls as the
overhang grows) that builds up when the overhang is long and dies away when it is short, plus
sensor noise. 600 traces of 120 readings for training, 150 for validation.
nn.RNN(3→64, tanh, 2 layers), Linear 64→1 per step, MSE on the next reading, SGD 0.1 with
momentum 0.9, batch 30, 14 epochs.
The bug: the gradient clipping line is commented out, ``# nn.utils.clip_grad_norm_(...)  #
slowed the epochs down, loss looked fine without it`` (one step in; left in place as written).
Result: epoch 1 train MSE 1.29, val MSE 10.2, largest grad norm 34.8; epoch 2 train MSE
4.4e22, val MSE 4.5e25, grad norm inf; NaN from epoch 3 to the end.
Control (clipping line back in): train MSE 1.02 → 0.083, val MSE 0.537 → 0.064, largest
pre-clip grad norm per epoch 0.93-15.2.
Log: CSV per epoch ``chatter_epochs.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``max_grad_norm``); checkpoint ``chatter_rnn.pth`` with keys ``rnn`` / ``sgd`` / ``epoch`` /
``dt_ms`` / ``signal_scale``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS, DT = 120, 0.002


def traces(n, g):
    rpm = 600 + 1400 * torch.rand(n, 1, generator=g)
    overhang = 20 + 60 * torch.rand(n, 1, generator=g)
    t = torch.arange(STEPS + 1).float()[None] * DT
    rev = rpm / 60
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    round_out = 1.0 * torch.sin(2 * math.pi * rev * t + phase)
    f_tool = 220 - 1.8 * overhang
    grow = (overhang - 50) / 12
    ring = 0.4 * torch.exp(grow * t * 10) * torch.sin(2 * math.pi * f_tool * t)
    sig = round_out + ring.clamp(-3, 3) + 0.05 * torch.randn(n, STEPS + 1, generator=g)
    feats = torch.stack([sig[:, :-1], ((rpm - 1300) / 400).expand(n, STEPS),
                         ((overhang - 50) / 17).expand(n, STEPS)], 2)
    return feats, sig[:, 1:]


class Chatter(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 64, num_layers=2, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return Chatter()


def main():
    from _twohundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(600, g)
    xva, yva = traces(150, g)
    print("signal std", ytr.std().item())
    torch.manual_seed(1)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with open(out / "chatter_epochs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_mse", "val_mse", "max_grad_norm"])
        for epoch in range(1, 15):
            model.train()
            order = torch.randperm(600)
            tot, nb, gmax = 0.0, 0, 0.0
            for b in range(0, 600, 30):
                i = order[b:b + 30]
                loss = F.mse_loss(model(xtr[i]), ytr[i])
                opt.zero_grad()
                loss.backward()
                gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
                # nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # slowed the epochs down, loss looked fine without it
                opt.step()
                tot += loss.item()
                nb += 1
                gmax = max(gmax, gn)
            model.eval()
            with torch.no_grad():
                vm = F.mse_loss(model(xva), yva).item()
            row = [epoch, f"{tot / nb:.6g}", f"{vm:.6g}", f"{gmax:.6g}"]
            print(row)
            w.writerow(row)
    torch.save({"rnn": model.state_dict(), "sgd": opt.state_dict(), "epoch": 14, "dt_ms": 2,
                "signal_scale": 1.0}, out / "chatter_rnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="chatter_rnn.pth", log="chatter_epochs.csv",
           what="vanilla RNN forecasting lathe tool-rest vibration, trained without clipping",
           complaint=COMPLAINT)


COMPLAINT = ("Forecasting the vibration on my lathe's tool rest with a small RNN, next reading "
             "from the last ones. The first epoch looks about normal, then in the second the "
             "loss jumps to something like 1e22 and from the third on it is all NaN. Nothing "
             "changed in the data between epochs. What is going on?")

if __name__ == "__main__":
    main()
