"""Plain torch: an MLP reads the magnitude spectrum of one strike of a rosewood xylophone bar
during tuning (48 bins of 25 Hz from a contact mic, after the recorder's noise gate) and
predicts how far the bar's first overtone sits from the ideal 3 × fundamental, in cents,
so the tuner knows how much more wood to take from under the bar's ends before the next
strike. Each bar has its own fundamental (f1 between 180 and 260 Hz, the overtone near
540-780 Hz), the overtone detuned by -150 to +150 cents, a weaker 6 × f1
partial, decay, strike strength and mic noise; quiet strikes leave bins the noise gate
zeroes. Target: cents / 100.
Model: spectrum → log magnitude inside ``forward`` → linear 48→96 + GELU, linear 96→96 +
GELU, linear 96→1; Huber loss (δ 0.5), SGD 0.02 momentum 0.9 nesterov, batch 32, 16
epochs over 1500 strikes, validation on 400.
The bug: the model's first line is ``x = torch.log(spec)  # log magnitude, like the tuner's
dB display``, and the noise gate writes exact zeros into about 1 bin in 4 (nearly every
strike has some), so the input holds -inf and the loss is NaN from the first step; the
weights are NaN after it and every logged number is NaN to the end (control,
``torch.log(spec.clamp_min(1e-4))``: train Huber 0.247 → 0.0156, val Huber 0.222 →
0.0324, val MAE 65.6 → 20.4 cents).
Log: JSON lines every 5 steps ``strike_train.jsonl`` (``it`` / ``epoch`` / ``huber``) and a
separate per-epoch CSV ``strike_val.csv`` (``epoch`` / ``val_huber`` / ``val_mae_cents``);
checkpoint ``overtone_mlp.pt`` with keys ``net_state`` / ``sgd_state`` / ``epoch`` /
``bin_hz`` / ``target_scale``."""
import csv
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = 48
HZ = 25.0


def strikes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    f = (torch.arange(BINS).float() + 0.5) * HZ
    f1 = 180 + 80 * r(n, 1)
    cents = -150 + 300 * r(n, 1)
    f3 = 3 * f1 * 2 ** (cents / 1200)
    amp = 0.3 + r(n, 1)
    peak = lambda fc, a, w: a * torch.exp(-((f - fc) / w) ** 2)  # noqa: E731
    spec = amp * (peak(f1, 1.0, 22) + peak(f3, 0.5 + 0.3 * r(n, 1), 30) + peak(6 * f1, 0.1, 30))
    spec = spec + (0.002 + 0.02 * torch.rand(n, BINS, generator=g)) * amp
    spec = torch.where(spec < 0.004 + 0.004 * r(n, 1), torch.zeros_like(spec), spec)  # noise gate
    return spec, cents / 100


class OvertoneMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(BINS, 96), nn.GELU(), nn.Linear(96, 96), nn.GELU(),
                                 nn.Linear(96, 1))

    def forward(self, spec):
        x = torch.log(spec)  # log magnitude, like the tuner's dB display
        return self.net((x + 4) / 2)


def build():
    torch.manual_seed(0)
    return OvertoneMLP()


def main():
    from _threehundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strikes(1500, g)
    xva, yva = strikes(400, g)
    print("gated share", (xtr == 0).float().mean().item(), "rows", (xtr == 0).any(1).float().mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    it = 0
    with open(out / "strike_train.jsonl", "w") as ft, open(out / "strike_val.csv", "w", newline="") as fv:
        vlog = csv.writer(fv)
        vlog.writerow(["epoch", "val_huber", "val_mae_cents"])
        for epoch in range(16):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 32):
                idx = perm[i:i + 32]
                loss = F.huber_loss(model(xtr[idx]), ytr[idx], delta=0.5)
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                if it % 5 == 0:
                    ft.write(json.dumps({"it": it, "epoch": epoch, "huber": loss.item()}) + "\n")
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vh = F.huber_loss(p, yva, delta=0.5).item()
            mae = 100 * (p - yva).abs().mean().item()
            vlog.writerow([epoch, f"{vh:.5f}", f"{mae:.3f}"])
            print(epoch, loss.item(), vh, mae, math.isfinite(vh))
    torch.save({"net_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 16,
                "bin_hz": HZ, "target_scale": 100.0}, out / "overtone_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="overtone_mlp.pt", log="strike_val.csv",
           what="MLP predicting a xylophone bar's overtone detuning in cents from a strike's"
                " magnitude spectrum; log taken of noise-gated spectra with exact zeros",
           complaint="The overtone tuning model logs a NaN loss from the very first entry and"
                     " the validation file is NaN in every epoch. The targets are within ±1.5"
                     " and the spectra look normal when I plot them, and lowering the learning"
                     " rate made no difference.")


if __name__ == "__main__":
    main()
