"""Plain torch: a residual MLP predicts a pet ferret's body weight change over the next
month (grams) from its clinic record (12 numbers: current weight, age, sex, neutered,
month of the year, daylight hours, diet kibble share, meat share, treats, play hours,
adrenal signs score, coat score), so the vet nurse can tell an autumn fattening from a
worrying loss. Ferrets put on fat as the days shorten and shed it in spring (entire
animals much more than neutered ones), an adrenal problem drags weight down, treats and a
meat diet push it up. Target: (grams change) / 60. Input: standardised readings.
Model: linear 12→64, 3 residual blocks (LayerNorm, linear 64→64, GELU, linear 64→64, skip),
linear 64→1; MSE, SGD with Nesterov momentum 0.9, batch 64, 12 epochs of 3000 records,
validation on 800, constant learning rate.
The bug: ``lr=0.3`` (``# skips keep it stable``); the batch MSE goes 6.0 → 58 → 2.8e9 in
the first three steps and is NaN from step 20 on, val MSE and val MAE NaN in every epoch
(control, ``lr=0.01``: batch MSE 6.0 → 3.5 → 2.0, 0.28 at step 20, 0.11 at the end; val
MSE 0.193 → 0.132 (0.128 at epoch 3, noisy 0.13-0.15 after), val MAE 20.7 → 17.3 g; the
target variance is 5.3).
Log: JSON lines ``coat_log.jsonl`` (``{"step", "mse"}`` at steps 1-3 and every 20 steps and ``{"epoch",
"val_mse", "val_mae_g"}`` per epoch); checkpoint ``ferret_resmlp.pth`` with keys
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch`` / ``grams_per_unit``."""
import json
import math

import torch
import torch.nn as nn


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    weight = 700 + 1300 * r(n)
    age = 0.5 + 7 * r(n)
    male = (r(n) < 0.5).float()
    neutered = (r(n) < 0.7).float()
    month = torch.floor(12 * r(n))
    daylight = 12 + 4 * torch.cos(2 * math.pi * (month - 5.5) / 12)
    kibble = r(n)
    meat = (1 - kibble) * r(n)
    treats = 3 * r(n)
    play = 4 * r(n)
    adrenal = torch.floor(4 * r(n) ** 3)
    coat = 5 - adrenal + r(n)
    season = -(daylight - 12) / 4 * (1 + 1.5 * (1 - neutered)) * (0.08 * weight)
    dy = (season - 40 * adrenal + 15 * treats + 60 * meat - 10 * play - 8 * (age - 4).clamp(min=0)
          + 20 * torch.randn(n, generator=g))
    x = torch.stack([weight, age, male, neutered, month, daylight, kibble, meat, treats, play,
                     adrenal, coat], 1)
    return x, (dy / 60).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), Block(64), Block(64), Block(64), nn.Linear(64, 1))


def main():
    from _threehundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(3000, g)
    xva, yva = records(800, g)
    print("target", ytr.mean().item(), ytr.var().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9, nesterov=True)  # skips keep it stable
    step = 0
    with open(out / "coat_log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 20 == 0 or step <= 3:
                    f.write(json.dumps({"step": step, "mse": round(loss.item(), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "val_mse": round(nn.functional.mse_loss(p, yva).item(), 6),
                   "val_mae_g": round(60 * (p - yva).abs().mean().item(), 3)}
            f.write(json.dumps(rec) + "\n")
            print(rec, loss.item())
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "grams_per_unit": 60.0}, out / "ferret_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="ferret_resmlp.pth", log="coat_log.jsonl",
           what="residual MLP predicting a pet ferret's weight change over the next month"
                " from its clinic record",
           complaint="The ferret weight-change regressor produces NaN almost immediately: the first"
                     " logged losses are 6, then 58, then billions, and from step 20 on every"
                     " loss and every validation number is NaN. The inputs are standardised and"
                     " there are no missing values in the clinic records.")


if __name__ == "__main__":
    main()
