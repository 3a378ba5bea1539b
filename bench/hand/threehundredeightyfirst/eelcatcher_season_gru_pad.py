"""Plain torch: a GRU follows an eel-catcher's season night by night on one river beat and
says how many kilograms of silver eels his weir traps will hold each morning, from that
night's weather, so he can plan the lorry to the smokehouse. A season runs from the first
autumn flood until the traps come out, 24-96 nights (beats differ). Each night: rise of the
river in 24 h, moonlight (illuminated fraction × clear sky), water temperature, rain, wind.
The run is driven by dark, rising-water nights at 9-15 °C, and every big night thins the
stock left upstream (the catch is a share of what is still to come down), so the GRU has to
carry how much has already gone through the traps. Target: log1p(kg) per night.
Seasons are padded with zeros to the longest in the batch (inputs and targets), the inputs
standardised (so a padded night looks like an average one). Input: (batch, nights, 5).
Model: GRU 5→48 (1 layer), Linear 48→1 per night; RMSprop 2e-3, batch 16 seasons,
30 epochs, 320 seasons, validation on 96 seasons (scored on real nights only).
The bug: ``loss = F.mse_loss(pred, y)  # per-night squared error over the batch`` — the
padded nights (38 % of the tensor) count as real ones with a catch of 0, so the net is
pulled towards empty traps wherever a season might already have ended and the real nights'
error is averaged down: val MSE on real nights 0.562 → 0.167 (0.113 at best, 0.11-0.22 over
the last 10 epochs), val MAE 6.0 → 3.2 kg (control, the masked mean
``((pred - y) ** 2 * mask).sum() / mask.sum()``: val MSE 0.485 → 0.092 (0.070 at best), MAE
5.7 → 2.7 kg); the logged training loss (2.53 → 0.090) reads well below the real nights'
error.
Log: CSV every 5 steps ``weir_steps.csv`` (``step`` / ``epoch`` / ``loss``) and a per-epoch
CSV ``weir_val.csv`` (``epoch`` / ``val_mse_real`` / ``val_mae_kg``, named as the log in the
truth); checkpoint ``weir_gru.ckpt`` with keys ``gru_state`` / ``rmsprop_state`` /
``epoch`` / ``feature_mean`` / ``feature_std`` / ``max_nights``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

MAXN = 96


def seasons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = torch.randint(24, MAXN + 1, (n,), generator=g)
    rise = 0.7 * r(n, MAXN) ** 3
    moon = 0.5 + 0.5 * torch.cos(2 * 3.1416 * (torch.arange(MAXN) + 29.5 * r(n, 1)) / 29.5)
    light = moon * (1 - r(n, MAXN))
    temp = 16 - 8 * torch.arange(MAXN).float() / MAXN + 1.5 * torch.randn(n, MAXN, generator=g)
    rain = (rise + 0.1 * r(n, MAXN)) * 20
    wind = 2 * r(n, MAXN) - 1
    stock = 400 + 400 * r(n)
    kg = torch.zeros(n, MAXN)
    for t in range(MAXN):
        urge = (0.02 + 0.6 * rise[:, t]) * (1 - 0.8 * light[:, t])
        urge = urge * torch.exp(-((temp[:, t] - 12) / 4) ** 2)
        kg[:, t] = stock * urge.clamp(max=0.5)
        stock = stock - kg[:, t]
    kg = kg * torch.exp(0.2 * torch.randn(n, MAXN, generator=g))
    x = torch.stack([rise, light, temp, rain, wind], 2)
    mask = (torch.arange(MAXN).unsqueeze(0) < length.unsqueeze(1)).float()
    return x, torch.log1p(kg), mask


class WeirGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        return self.out(self.gru(x)[0]).squeeze(2)


def build():
    torch.manual_seed(0)
    return WeirGRU()


def main():
    from _threehundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, mtr = seasons(320, g)
    xva, yva, mva = seasons(96, g)
    real = mtr.bool()
    mu, sd = xtr[real].mean(0), xtr[real].std(0)
    xtr = (xtr - mu) / sd * mtr.unsqueeze(2)  # padded nights stay 0
    xva = (xva - mu) / sd * mva.unsqueeze(2)
    ytr, yva = ytr * mtr, yva * mva
    print("padding share", 1 - mtr.mean().item(), "target mean", ytr[real].mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "weir_steps.csv", "w", newline="") as fs, \
            open(out / "weir_val.csv", "w", newline="") as fv:
        slog, vlog = csv.writer(fs), csv.writer(fv)
        slog.writerow(["step", "epoch", "loss"])
        vlog.writerow(["epoch", "val_mse_real", "val_mae_kg"])
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 16):
                idx = perm[i:i + 16]
                n = int(mtr[idx].sum(0).nonzero().max()) + 1  # pad to the longest season
                xb, y, mask = xtr[idx, :n], ytr[idx, :n], mtr[idx, :n]  # noqa: F841
                pred = model(xb)
                loss = F.mse_loss(pred, y)  # per-night squared error over the batch
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 5 == 0:
                    slog.writerow([step, epoch, f"{loss.item():.6f}"])
                step += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = ((p - yva) ** 2 * mva).sum() / mva.sum()
            mae = ((torch.expm1(p.clamp(-1, 8)) - torch.expm1(yva)).abs() * mva).sum() / mva.sum()
            vlog.writerow([epoch, f"{err.item():.6f}", f"{mae.item():.4f}"])
            print(epoch, err.item(), mae.item())
    torch.save({"gru_state": model.state_dict(), "rmsprop_state": opt.state_dict(),
                "epoch": 30, "feature_mean": mu, "feature_std": sd, "max_nights": MAXN},
               out / "weir_gru.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="weir_gru.ckpt", log="weir_val.csv",
           what="GRU predicting an eel-catcher's nightly weir-trap catch over a season; seasons"
                " zero-padded and the MSE taken over the padded nights too",
           complaint="我用GRU按夜预测鳗鱼陷阱每晚的渔获量（log1p公斤），训练loss从2.53降到0.09，"
                     "看起来很好，可是验证集上真实夜晚的MSE最后还是0.167，最后十个epoch在0.11到"
                     "0.22之间来回跳，平均误差3.2公斤。训练loss明明很低，为什么验证这么差？")


if __name__ == "__main__":
    main()
