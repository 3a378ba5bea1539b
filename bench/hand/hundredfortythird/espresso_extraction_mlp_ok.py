"""An MLP regresses the extraction yield (EY, %) of an espresso shot from the barista's
shot log: grinder setting, dose (g), brew ratio (out / in), water temperature (°C), peak
pressure (bar), days since roast, shot time (s) and a roast-level score (Agtron-like, 0–1).
EY comes from a refractometer reading (TDS) and is noisy (±0.4 % EY reader and puck noise).
Inputs and target are standardised with the training statistics. Adam 2e-3, batch 64, 40
epochs, dropout 0.2. Healthy: the validation RMSE (without dropout) sits below the train RMSE
(with dropout) all the way and ends near the reader-noise floor."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

COLUMNS = ["grind", "dose_g", "ratio", "water_c", "pressure_bar", "days_off_roast", "shot_s",
           "roast_level"]


def shots(n, g):
    u = lambda a, b: a + (b - a) * torch.rand(n, generator=g)  # noqa: E731
    grind, dose, ratio = u(8, 20), u(16, 22), u(1.5, 3.0)
    water, pressure, days = u(88, 96), u(6, 10), u(3, 40)
    roast = u(0, 1)
    shot = (28 - 1.6 * (grind - 14) + 0.8 * (dose - 18) + 6 * (ratio - 2.2)
            + 2 * torch.randn(n, generator=g))
    ey = (19.5 + 2.2 * torch.log(ratio / 2.2) - 0.35 * (grind - 14) + 0.18 * (water - 92)
          - 0.12 * (dose - 18) + 0.06 * (shot - 28) + 1.4 * (roast - 0.5)
          - 0.9 * torch.exp(-days / 6) - 0.25 * (pressure - 9) ** 2 / 4
          + 0.4 * torch.randn(n, generator=g))
    return torch.stack([grind, dose, ratio, water, pressure, days, shot, roast], 1), ey


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 64),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1))


def main():
    from _hundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = shots(2400, g)
    xm, xs, ym, ys = x[:2000].mean(0), x[:2000].std(0), y[:2000].mean(), y[:2000].std()
    x, y = (x - xm) / xs, (y - ym) / ys
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "shots_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_rmse", "val_rmse", "val_mae_ey_pct"])
        for epoch in range(1, 41):
            model.train()
            perm = torch.randperm(len(xtr))
            se = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.mse_loss(model(xtr[idx]).squeeze(-1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                se += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva).squeeze(-1)
                vr = F.mse_loss(p, yva).sqrt().item()
                mae = ((p - yva).abs().mean() * ys).item()
            w.writerow([epoch, round((se / len(xtr)) ** 0.5, 4), round(vr, 4), round(mae, 4)])
            if epoch % 5 == 0:
                print(epoch, (se / len(xtr)) ** 0.5, vr, mae)
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 40, "x_mean": xm, "x_std": xs, "ey_mean": ym, "ey_std": ys,
                "columns": COLUMNS}, out / "espresso_ey.pth")
    finish(out, __file__, (xva[:128], yva[:128]), causes=[], checkpoint="espresso_ey.pth",
           log="shots_log.csv",
           what="espresso extraction-yield MLP, dropout 0.2, val below train (healthy)")


if __name__ == "__main__":
    main()
