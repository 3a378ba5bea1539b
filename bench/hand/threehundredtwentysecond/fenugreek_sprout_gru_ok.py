"""Plain torch: a GRU reads the first 24 hours of a fenugreek sprouting tray in a
microgreens grow room (tray air temperature, relative humidity and a 0/1 mist flag, every
30 min, 48 readings) and predicts two things for hour 48: the mean sprout (radicle)
length in mm and the share of seeds that have sprouted, so the grower can plan the move
to the light racks. Imbibition starts growth after a lag that shortens with warmth; growth
rate follows a thermal-time rule (degree hours above 8 °C, best near 28 °C, slowing
above 32 °C), dry air (RH < 70 % without misting) stalls it; the seed lot's vigour is not
logged.
Input: (48, 3) (°C - 24) / 5, (% RH - 80) / 12, mist flag.
Targets: (2,) (mm - 30) / 18 and (share - 0.8) / 0.15.
GRU 3→40, 2 layers (dropout 0.1), last state → 40→2; MSE, Adam 2e-3 with
ReduceLROnPlateau on val loss (factor 0.5, patience 2), batch 40, 15 epochs, 1400 trays,
validation on 350. Healthy; numbers in the README.
Log: JSON lines ``tray_steps.jsonl`` every 10 steps (``step``, ``epoch``, ``mse``,
``lr``) and a separate ``tray_val.csv`` per epoch (``epoch``, ``val_mse``, ``mae_mm``,
``mae_share``); checkpoint ``sprout_gru.tar`` with keys ``gru_state`` / ``opt_state`` /
``plateau_state`` / ``epoch`` / ``best_val``."""
import csv
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

T = 48
DT = 0.5


def trays(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() * DT
    base = 18 + 14 * r(n, 1)
    temp = base + 2.5 * torch.sin(2 * torch.pi * (t + 24 * r(n, 1)) / 24)
    every = torch.randint(2, 9, (n, 1), generator=g)
    mist = ((torch.arange(T)[None] % every) == 0).float() * (r(n, 1) < 0.8).float()
    rh = 60 + 25 * r(n, 1) + 15 * torch.cumsum(mist, 1).clamp(max=1) * torch.exp(
        -((torch.arange(T)[None] % every).float()) / 3)
    rh = rh.clamp(max=99)
    vigour = 0.7 + 0.6 * r(n, 1)
    rate = (temp - 8).clamp(min=0) * torch.exp(-((temp - 28) / 9) ** 2)
    rate = rate * torch.where(rh < 70, 0.3, 1.0) * vigour
    dh = torch.cumsum(rate * DT, 1)[:, -1:] * 2  # to hour 48, same regime
    length = (0.06 * (dh - 60)).clamp(min=0) + 0.4 * torch.randn(n, 1, generator=g)
    share = 0.98 * torch.sigmoid((dh - 120) / 40) * (0.8 + 0.2 * vigour.clamp(max=1))
    y = torch.cat([(length - 30) / 18, (share - 0.8) / 0.15], 1)
    temp = temp + 0.2 * torch.randn(n, T, generator=g)
    rh = rh + 1.0 * torch.randn(n, T, generator=g)
    x = torch.stack([(temp - 24) / 5, (rh - 80) / 12, mist], 2)
    return x, y


class SproutGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 40, num_layers=2, batch_first=True, dropout=0.1)
        self.out = nn.Linear(40, 2)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h[:, -1])


def build():
    torch.manual_seed(0)
    return SproutGRU()


def main():
    from _threehundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trays(1400, g)
    xva, yva = trays(350, g)
    print("targets", ytr.mean(0).tolist(), ytr.std(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    fs = open(out / "tray_steps.jsonl", "w")
    fv = open(out / "tray_val.csv", "w", newline="")
    wv = csv.writer(fv)
    wv.writerow(["epoch", "val_mse", "mae_mm", "mae_share"])
    step, best = 0, float("inf")
    for epoch in range(15):
        model.train()
        for xb, yb in dl:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                fs.write(json.dumps({"step": step, "epoch": epoch, "mse": round(loss.item(), 5),
                                     "lr": opt.param_groups[0]["lr"]}) + "\n")
        model.eval()
        with torch.no_grad():
            p = model(xva)
        vm = nn.functional.mse_loss(p, yva).item()
        err = (p - yva).abs().mean(0)
        plateau.step(vm)
        best = min(best, vm)
        wv.writerow([epoch, f"{vm:.5f}", f"{18 * err[0].item():.4f}", f"{0.15 * err[1].item():.4f}"])
        print(epoch, round(vm, 5), round(18 * err[0].item(), 3), round(0.15 * err[1].item(), 4),
              opt.param_groups[0]["lr"])
    fs.close()
    fv.close()
    torch.save({"gru_state": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "epoch": 15, "best_val": best},
               out / "sprout_gru.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="sprout_gru.tar", log="tray_steps.jsonl",
           what="GRU predicting fenugreek sprout length and sprouted share at 48 h from the first"
                " 24 h of tray climate (healthy)")


if __name__ == "__main__":
    main()
