"""Plain torch: an embedding model predicts the silicon nitride thickness that the inline
ellipsometer will read after a PECVD deposition, from the run sheet, so that the recipe can be
trimmed before the wafer is measured. The deposition rate follows the process window: it
rises with RF power (sub-linearly), SiH4 flow (saturating as NH3 runs short) and pressure,
falls with electrode gap and a little with temperature, and each of 4 chambers has its own
rate factor (0.93-1.06) that drifts down with the RF hours since the last wet clean; each of 5
recipes adds its own offset; time × rate is the thickness, read at one site of a wafer
with about 8 % site-to-site scatter. The run sheet also carries 40 tool-log columns (heater
zones, MFC readbacks, chiller) that do not move the thickness.
Inputs: chamber id and recipe id (embedded, 4 wide each), 7 standardised settings (RF power,
SiH4 flow, NH3 flow, pressure, gap, temperature, RF hours since clean), the time and the 40
tool-log columns. Target: thickness / 100 nm. Model: embeddings + MLP 56→256→256→256→1 (ReLU);
MSE, Adam 1e-3, batch 20, 300 epochs, 140 logged runs, validation on 400 runs.
The bug: ``N_TRAIN = 140`` runs for a 146 k-parameter net that also sees 40 tool-log columns
with nothing to do with the thickness, trained 300 epochs with no regularisation or
held-out stopping: train MSE 0.15 → 5e-6 (far under the 0.0019 that the 8 % wafer-site scatter
allows), val MSE 0.073 → 0.026 (target variance 0.080), val MAE 21.8 → 11.9 nm (control,
``N_TRAIN = 700``: val MSE 0.025 → 0.0067, MAE 11.5 → 6.0 nm).
Log: one JSON lines file per epoch ``thickness_fit.jsonl`` (``epoch`` / ``train_mse`` /
``val_mse`` / ``val_mae_nm``); checkpoint ``sin_thickness.pt`` with keys ``params`` /
``opt`` / ``epoch`` / ``setting_mean`` / ``setting_std`` / ``nm_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ch = torch.randint(0, 4, (n,), generator=g)
    rec = torch.randint(0, 5, (n,), generator=g)
    power, sih4, nh3 = 200 + 400 * r(n), 100 + 300 * r(n), 500 + 1500 * r(n)
    press, gap, temp = 1.0 + 2.0 * r(n), 12 + 10 * r(n), 300 + 100 * r(n)
    hours, time = 40 * r(n), 30 + 150 * r(n)
    rate = (0.55 * (power / 400) ** 0.6 * (sih4 / 250) / (1 + 0.8 * sih4 / nh3)
            * (press / 2) ** 0.4 * (17 / gap) * (1 - 0.0008 * (temp - 350)))
    rate = rate * torch.tensor([1.06, 0.97, 1.0, 0.93])[ch] * (1 - 0.004 * hours)
    rate = rate + torch.tensor([0.0, 0.05, -0.04, 0.08, -0.02])[rec]
    nm = (rate * time).clamp(min=20) * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([power, sih4, nh3, press, gap, temp, hours, time], 1)
    tool_log = torch.randn(n, 40, generator=g)  # heater zones, MFC readbacks, chiller, ...
    x = torch.cat([x, tool_log], 1)
    return ch, rec, x, (nm / 100).unsqueeze(1)


WIDTH = 256
EPOCHS = 300
N_TRAIN = 140  # every run logged since the chambers were requalified


class ThicknessNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.chamber = nn.Embedding(4, 4)
        self.recipe = nn.Embedding(5, 4)
        self.mlp = nn.Sequential(nn.Linear(56, WIDTH), nn.ReLU(), nn.Linear(WIDTH, WIDTH),
                                 nn.ReLU(), nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Linear(WIDTH, 1))

    def forward(self, ch, rec, x):
        return self.mlp(torch.cat([self.chamber(ch), self.recipe(rec), x], 1))


def build():
    torch.manual_seed(0)
    return ThicknessNet()


def main():
    from _threehundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cva, rva, xva, yva = runs(400, g)  # the qualification wafers, kept aside
    ctr, rtr, xtr, ytr = runs(N_TRAIN, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target var", yva.var().item(), "noise var", (0.08 * yva).pow(2).mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ctr, rtr, xtr, ytr), batch_size=20, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.MSELoss()
    with open(out / "thickness_fit.jsonl", "w") as log:
        for epoch in range(EPOCHS):
            model.train()
            tot = 0.0
            for cb, rb, xb, yb in dl:
                loss = crit(model(cb, rb, xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(cva, rva, xva)
            row = {"epoch": epoch, "train_mse": tot / len(xtr), "val_mse": crit(pred, yva).item(),
                   "val_mae_nm": 100 * (pred - yva).abs().mean().item()}
            log.write(json.dumps({k: round(v, 7) for k, v in row.items()}) + "\n")
            if epoch % 20 == 0 or epoch == EPOCHS - 1:
                print(row)
    torch.save({"params": model.state_dict(), "opt": opt.state_dict(), "epoch": EPOCHS,
                "setting_mean": mu, "setting_std": sd, "nm_scale": 100.0},
               out / "sin_thickness.pt")
    finish(out, __file__, {"inputs": xva[:64], "chamber": cva[:64], "recipe": rva[:64],
                           "targets": yva[:64]},
           causes=["overfitting"], checkpoint="sin_thickness.pt", log="thickness_fit.jsonl",
           what="embedding model (chamber, recipe) + wide MLP predicting PECVD nitride thickness"
                " read by the ellipsometer from 56 inputs, fitted to only 140 logged runs for"
                " 300 epochs with no regularisation",
           complaint="Our thickness predictor for the nitride PECVD gets a training MSE of 5e-6"
                     " (basically perfect) but on the qualification wafers it is off by 12 nm on"
                     " average, and 0.026 MSE, about a third of just predicting the mean. More"
                     " epochs do not change it. 140 runs, 300 epochs, Adam 1e-3.")


if __name__ == "__main__":
    main()
