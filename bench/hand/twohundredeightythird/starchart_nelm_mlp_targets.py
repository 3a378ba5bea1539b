"""Plain torch: an MLP predicts the naked-eye limiting magnitude (the faintest star you will
see near the star you are looking for) for the printed star charts of a club's observing
nights, so the chart maker knows how deep each night's chart has to go. Inputs per
observing session: zenith sky brightness from the sky meter (17-22 mag/arcsec2), moon altitude
(-30 to 60 deg), moon illuminated fraction, altitude of the chart field (15-90 deg), relative
humidity (extinction) and observer age (dark adaptation). Physics: the moon adds sky glow when
it is up (fraction x sin of altitude), the glow turns into a limit with
7.93 - 5 log10(10^(4.316 - sky / 5) + 1), extinction takes k (0.15-0.4 with humidity) times
(airmass - 1) off it, older eyes lose up to 0.5 mag; 0.15 mag scatter between observers.
Inputs standardised; MLP 6→64-ReLU-64-ReLU-1, MSE, Adam 1e-3, batch 128, 25 epochs,
4000 sessions, validation on 800.
The bug: the session table gives the target as ``nelm`` of shape ``(N,)`` while the model
returns ``(B, 1)``; ``F.mse_loss(pred, yb)`` broadcasts to ``(B, B)`` (with a UserWarning) and
compares every prediction with every session's limit in the batch.
Result: train MSE 12.96 → 1.59, val MSE 5.73 → 1.63 (the 1.58 variance of the
limits themselves: the net predicts one limit for every night), val MAE 2.08 → 1.05 mag, flat
from epoch 10.
Control (targets returned as ``nelm.unsqueeze(1)``): train MSE 12.92 → 0.044, val MSE 5.71 →
0.043, val MAE 2.09 → 0.164 mag
(the 0.15 mag observer scatter).
Log: CSV per epoch ``nelm_epochs.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_mag``); checkpoint ``nelm_mlp.pt`` with keys ``model_state_dict`` /
``optimizer_state_dict`` / ``feature_mean`` / ``feature_std`` / ``epoch``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def sessions(n, g):
    u = torch.rand(n, 6, generator=g)
    sky = 17 + 5 * u[:, 0]
    moon_alt = -30 + 90 * u[:, 1]
    phase = u[:, 2]
    field_alt = 15 + 75 * u[:, 3]
    rh = 20 + 75 * u[:, 4]
    age = 15 + 60 * u[:, 5]
    moon = phase * torch.sin(torch.deg2rad(moon_alt)).clamp(min=0)
    sky_eff = sky - 2.5 * torch.log10(1 + 8 * moon)
    lim = 7.93 - 5 * torch.log10(10 ** (4.316 - sky_eff / 5) + 1)
    k = 0.15 + 0.25 * (rh - 20) / 75
    airmass = 1 / torch.sin(torch.deg2rad(field_alt))
    lim = lim - k * (airmass - 1) - 0.5 * ((age - 15) / 60) ** 1.5
    nelm = lim + 0.15 * torch.randn(n, generator=g)
    x = torch.stack([sky, moon_alt, phase, field_alt, rh, age], 1)
    return x, nelm


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sessions(4000, g)
    xva, yva = sessions(800, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("limit range", round(ytr.min().item(), 2), round(ytr.max().item(), 2),
          "std", round(ytr.std().item(), 3))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "nelm_epochs.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_mae_mag\n")
        for epoch in range(1, 26):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                pred = model(xb)
                loss = F.mse_loss(pred, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                vm = F.mse_loss(pv, yva).item()
                mae = (pv - yva).abs().mean().item()
            f.write(f"{epoch},{tot / nb:.5f},{vm:.5f},{mae:.4f}\n")
            print(epoch, round(tot / nb, 4), round(vm, 4), round(mae, 4))
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "feature_mean": mu, "feature_std": sd, "epoch": 25}, out / "nelm_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="nelm_mlp.pt", log="nelm_epochs.csv",
           what="MLP predicting naked-eye limiting magnitude for star charts; (B, 1) predictions"
                " against (B,) targets broadcast in the MSE",
           complaint=("Our limiting-magnitude model for the club's star charts gives "
                       'practically the same answer for every night: a dark moonless night at '
                       '21.8 on the sky meter and a full-moon night in town both come out '
                       'around 5. The loss drops in the first couple of epochs and then sits '
                       'at about 1.6 for the remaining twenty, and the error is over a '
                       'magnitude, which is useless for deciding how faint to print. The '
                       "formula behind the data is smooth and the inputs look fine. Why won't "
                       'it learn the sky brightness?'))


if __name__ == "__main__":
    main()
