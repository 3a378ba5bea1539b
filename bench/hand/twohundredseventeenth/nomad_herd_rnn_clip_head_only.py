"""Plain torch: a ReLU RNN forecasts a nomad family's herd milk yield for the coming week
(litres per day, standardised) from the last 60 days of their herding log: grass greenness of
the pasture they grazed, rainfall, night temperature, kilometres the herd walked and whether
they moved camp that day. Yield follows the grass of the last ~3 weeks (with a lag), drops
after long walks and cold nights and recovers a few days after each camp move to fresh
pasture; 8 % noise. nn.RNN(5→64, nonlinearity="relu"), Linear(64→1); MSE, SGD lr 0.02 momentum
0.9, batch 32, 10 epochs of 1024 logs, shuffled; gradient-norm clipping at 1.0 (ReLU RNNs over
60 steps need it); the recurrent matrix starts as the identity (the IRNN recipe). Logged every
step to ``herd_log.csv`` (step, epoch, train_loss of that step; val_loss on 192 held-out logs
every 8 steps, empty otherwise).
The bug: the clipping line is ``clip_grad_norm_(model.out.parameters(), 1.0)``: it clips the
output layer's gradient only, and the recurrent weights step with their raw gradient (a total
norm of about 440 at the start). Train loss 2.5645 at step 1, inf at step 2, nan from step 3 to the end (320 steps);
every val loss is nan; the saved weights are nan.
Control (``sed 's/clip_grad_norm_(model.out.parameters()/clip_grad_norm_(model.parameters()/'``): train loss 2.56 at step 1, spikes
(8.9 over the first 8 steps) then 0.58-1.0 in epoch 1, val loss 0.52 at step 16, 0.216 at 96,
0.164 at 176, 0.112 at 296, 0.100 at step 320 (train loss 0.05-0.13 over the last steps)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 60


def herd_logs(n, g):
    t = torch.arange(T).float()
    season = torch.rand(n, 1, generator=g)
    rain = (torch.rand(n, T, generator=g) < 0.15 + 0.2 * season).float() * torch.rand(
        n, T, generator=g) * 20
    moves = (torch.rand(n, T, generator=g) < 0.08).float()
    grass = torch.zeros(n, T)
    level = 0.3 + 0.4 * season[:, 0]
    for d in range(T):
        level = torch.where(moves[:, d] > 0, level + 0.3, level * 0.97 + 0.004 * rain[:, d])
        grass[:, d] = level.clamp(0, 1)
    temp = -5 + 15 * season + 4 * torch.sin(t / 9) + 3 * torch.randn(n, T, generator=g)
    walk = 4 + 10 * moves + 2 * torch.rand(n, T, generator=g)
    k = torch.exp(-((T - 1 - t - 10) ** 2) / 60)
    yield_ = ((grass * k).sum(1) / k.sum() * 3 - 0.05 * (walk[:, -7:].sum(1) - 35)
              + 0.04 * temp[:, -7:].mean(1) + 0.8 * moves[:, -14:-3].amax(1))
    yield_ = yield_ + 0.08 * yield_.std() * torch.randn(n, generator=g)
    x = torch.stack([grass * 2 - 1, rain / 10, temp / 10, (walk - 6) / 5, moves], 2)
    y = (yield_ - yield_.mean()) / yield_.std()
    return x, y.unsqueeze(1)


class HerdRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(5, 64, nonlinearity="relu", batch_first=True)
        self.out = nn.Linear(64, 1)
        nn.init.eye_(self.rnn.weight_hh_l0)  # IRNN init (Le et al. 2015)
        nn.init.zeros_(self.rnn.bias_hh_l0)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1])


def build():
    torch.manual_seed(0)
    return HerdRNN()


def main():
    from _twohundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = herd_logs(1216, g)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    f = open(out / "herd_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "train_loss", "val_loss"])
    step = 0
    for epoch in range(1, 11):
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            model.train()
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.out.parameters(), 1.0)
            opt.step()
            step += 1
            row = [step, epoch, round(loss.item(), 4), ""]
            if step % 8 == 0:
                model.eval()
                with torch.no_grad():
                    row[3] = round(F.mse_loss(model(xva), yva).item(), 4)
                print(row)
            w.writerow(row)
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "step": step,
                "epoch": 10}, out / "herd_rnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="herd_rnn.ckpt", log="herd_log.csv",
           what="ReLU RNN forecasting a nomad herd's milk yield from 60 days of herding log;"
                " gradient clipping applied to the output layer only, the RNN steps unclipped",
           complaint=("Herd milk-yield forecaster for the nomad families we work with (60 days of"
                      " herding log → next week's yield). From the second step on the loss is"
                      " inf and then nan, every single step for 10 epochs, and the val loss is"
                      " nan too. I checked the log data for NaNs and there are none. Lowering"
                      " the learning rate to 0.002 changed nothing."))


if __name__ == "__main__":
    main()
