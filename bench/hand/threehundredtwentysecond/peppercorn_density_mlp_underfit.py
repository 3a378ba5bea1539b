"""Plain torch: an MLP predicts the bulk density (g/L) of a lot of dried black peppercorn
from what the buying station measures at intake, so the trader can price light (hollow,
pinhead-rich) lots before the ASTA test comes back. 6 inputs: moisture (%), share of
pinheads (%), mean berry diameter (mm), days on the drying floor, share of berries from the
top of the spike (%), altitude of the garden (m). Density rises with diameter and falls
with moisture in a curved way (wet berries swell but are light), drops steeply once pinheads
pass about 8 %, and over-dried lots (long on the floor) crack and pack tighter.
Input: (6,) standardised with the train mean / std. Target: (g/L - 460) / 40.
Model: 6→HIDDEN→Tanh→HIDDEN→Tanh→1, MSE, Adam 3e-3, batch 64, 25 epochs, 2000 lots, 500 held out.
The bug: ``HIDDEN = 2`` (the comment says density is nearly linear in moisture), a two-unit
bottleneck that cannot bend to the pinhead knee and the moisture curve: train MSE 1.68 →
0.108, val MSE 1.61 → 0.086, val RMSE 11.7 g/L, train and val level, only creeping down
(control, ``HIDDEN = 64``: train 0.50 → 0.024, val 0.29 → 0.021, val RMSE 5.8 g/L).
Log: CSV per epoch ``intake_fit.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_rmse_gl``); checkpoint ``density_mlp.pt`` with keys ``net`` / ``adam`` / ``epoch`` /
``x_mean`` / ``x_std``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

HIDDEN = 2  # small net: density is nearly linear in moisture anyway


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    moist = 9 + 6 * r(n)
    pin = 15 * r(n)
    diam = 3.5 + 2.0 * r(n)
    days = 3 + 9 * r(n)
    top = 40 * r(n)
    alt = 100 + 1100 * r(n)
    dens = 500 + 45 * (diam - 4.5) - 1.8 * (moist - 11) ** 2 - 6 * (moist - 11)
    dens = dens - 9 * torch.relu(pin - 8) ** 1.3 + 4 * torch.tanh((days - 8) / 1.5) * (moist < 11)
    dens = dens + 25 * torch.sin(alt / 300) - 0.8 * top + 5 * torch.randn(n, generator=g)
    x = torch.stack([moist, pin, diam, days, top, alt], 1)
    return x, ((dens - 460) / 40).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, HIDDEN), nn.Tanh(),
                         nn.Linear(HIDDEN, 1))


def main():
    from _threehundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = lots(2000, g)
    rva, yva = lots(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    net = build()
    adam = torch.optim.Adam(net.parameters(), lr=3e-3)
    with open(out / "intake_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_rmse_gl"])
        for epoch in range(1, 26):
            net.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(net(xb), yb)
                adam.zero_grad()
                loss.backward()
                adam.step()
                tot += loss.item() * len(xb)
            net.eval()
            with torch.no_grad():
                vm = nn.functional.mse_loss(net(xva), yva).item()
            row = [epoch, round(tot / len(xtr), 5), round(vm, 5), round(40 * vm ** 0.5, 3)]
            log.writerow(row)
            print(row)
    torch.save({"net": net.state_dict(), "adam": adam.state_dict(), "epoch": 25,
                "x_mean": mean, "x_std": std}, out / "density_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="density_mlp.pt", log="intake_fit.csv",
           what="MLP predicting black peppercorn bulk density from intake measurements; the"
                " hidden layers are two units wide",
           complaint="Our peppercorn density model never gets better than about 12 g/L off,"
                     " on the training lots just as much as on the held-out lots. The loss"
                     " only creeps down, and the light pinhead-heavy lots are always priced"
                     " as if they were normal.")


if __name__ == "__main__":
    main()
