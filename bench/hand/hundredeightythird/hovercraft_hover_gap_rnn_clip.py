"""Plain torch: a recurrent net predicts a hovercraft's hover gap (skirt hem above the water,
mm) every 0.1 s over a 12-second run from four sensor channels: lift-fan speed, cushion pressure, wave
height under the bow and payload. The gap follows first-order dynamics driven by the fan and
the cushion pressure, minus the load, with the waves passing under the craft a few steps later.
Elman RNN (tanh, 4→64, 2 layers), linear read-out per step; SGD lr 0.2, momentum 0.9,
batch 16, 12 epochs of 320 runs, MSE on the standardised gap; per-step CSV log with the
gradient norm and a val MSE per epoch.
The bug: ``clip_grad_norm_(..., 1.0)`` is called after ``opt.zero_grad()`` but before
``loss.backward()``, so it clips the zeroed gradients and the real ones reach ``opt.step()``
unclipped. The MSE goes 0.68 at step 1, 4.4 at step 5, 43 at 6, 2420 at 8, 1.5e6 at 10, 5e33 at
20 (gradient norm up to 1e18), inf at 21 and NaN from step 24 to the end; val MSE inf after
epoch 1, NaN after. Control (the clip moved after ``loss.backward()``): every update clipped to
norm 1 (raw norms ~0.4–1.0+), val MSE 0.12 after epoch 1, noisy 0.05–0.21, 0.109 at epoch 12
(the standardised gap has variance 1): rough at lr 0.2, but it trains."""
import math

import torch
import torch.nn as nn

T = 120
LR = 0.2


def runs(n, g):
    fan = torch.cumsum(0.15 * torch.randn(n, T, generator=g), 1).clamp(-2, 2)
    press = 0.7 * fan + 0.3 * torch.randn(n, T, generator=g)
    t = torch.arange(T).float()
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    wave = (0.5 + torch.rand(n, 1, generator=g)) * torch.sin(0.35 * t + ph)
    load = torch.rand(n, 1, generator=g).expand(n, T)
    gap = torch.zeros(n, T)
    h = torch.zeros(n)
    for k in range(T):
        w = wave[:, k - 3] if k >= 3 else torch.zeros(n)
        h = 0.85 * h + 0.15 * (1.5 * fan[:, k] + 0.8 * press[:, k] - 1.2 * load[:, k]) - 0.3 * w
        gap[:, k] = h
    x = torch.stack([fan, press, wave, load], 2)
    return x, gap + 0.05 * torch.randn(n, T, generator=g)


class GapNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 64, num_layers=2, batch_first=True)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return GapNet()


def main():
    from _hundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = runs(400, g)
    mu, sd = y[:320].mean(), y[:320].std()
    y = (y - mu) / sd
    xtr, ytr, xva, yva = x[:320], y[:320], x[320:], y[320:]
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=16,
                                        shuffle=True, generator=torch.Generator().manual_seed(1))
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    loss_fn = nn.MSELoss()
    log = ["step,epoch,mse,grad_norm,val_mse"]
    step = 0
    for epoch in range(12):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            loss.backward()
            gn = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
            opt.step()
            step += 1
            vm = ""
            if step % len(train) == 0:
                model.eval()
                with torch.no_grad():
                    vm = f"{loss_fn(model(xva), yva).item():.5f}"
                print(epoch, loss.item(), gn, vm)
            log.append(f"{step},{epoch},{loss.item():.5f},{gn:.4f},{vm}")
    (out / "hover_gap_train.csv").write_text("\n".join(log) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 12, "step": step,
                "gap_mean_mm": mu, "gap_std_mm": sd}, out / "hover_gap_rnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="hover_gap_rnn.pt", log="hover_gap_train.csv",
           what="hovercraft hover-gap RNN, SGD momentum, grad clip called before backward",
           complaint=("Our hover-gap model for the hovercraft trials goes to NaN in the first "
                      "epoch: the MSE is 0.68 at step 1, 43 at step 6, 2400 at step 8, 1e33 at "
                      "step 20 and inf right after, then everything is NaN. Inputs and gap are "
                      "standardised, and I already clip the gradient norm to 1.0. SGD 0.2 with "
                      "momentum 0.9, batch 16. Is there something wrong with our sensor data?"))


if __name__ == "__main__":
    main()
