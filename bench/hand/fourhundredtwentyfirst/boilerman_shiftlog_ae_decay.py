"""Plain torch: an autoencoder learns a boiler house's normal shift readings so that a
boilerman's log sheet that does not fit can be flagged (reconstruction error). Each log
entry holds 12 gauge readings, each divided by its gauge's full scale as the sheet's
columns are printed: steam pressure, drum level, feedwater temperature, feed pump
pressure, economiser outlet, flue gas temperature, flue O2, CO, fuel oil pressure, oil
temperature, forced-draught fan damper and blowdown conductivity. They follow three things
the boilerman cannot see directly: the steam load (30-100 %), the soot fouling of the tubes
(flue gas runs hotter as it builds) and the excess air set on the burner (O2 up, CO down);
each reading is an offset (where the gauge sits at no load) plus a mix of the three, in
0.05-0.95 of full scale, with a reading error of 0.005.
Model: Linear 12→32 + LayerNorm + GELU, Linear 32→3 (the code), Linear 3→32 + LayerNorm +
GELU, Linear 32→12; MSE on the readings as logged; Adam 3e-3 in two parameter groups
(weight matrices with L2 weight decay 0.01, biases and LayerNorm gains / shifts in the
other), batch 50, 40 epochs, 2000 log entries, validation on 500.
The bug: the no-decay group is given the same decay,
``{"params": no_decay, "weight_decay": WD},  # biases and LayerNorm gains / shifts``, so the
L2 pull drags the biases (which must carry the gauges' 0.15-0.85 offsets) and the LayerNorm
gains towards zero: val MSE 0.0039 → 0.0017 and flat from epoch 8 (the readings' variance
is 0.0031), val MAE 0.028 of full scale, worst gauge 0.079 (control, ``"weight_decay":
0.0``: val MSE 0.0037 → 0.00030, MAE 0.011, worst gauge 0.037).
Log: CSV per epoch ``shiftlog_ae.csv`` (``epoch`` / ``recon_train`` / ``recon_val`` /
``mae_val_fs`` / ``worst_gauge_mae``); checkpoint ``shiftlog_ae.pt`` with keys ``ae`` /
``adam`` / ``epoch`` / ``gauges`` / ``wd``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

GAUGES = ["steam_p", "drum_lvl", "fw_temp", "fw_pump_p", "econ_out", "flue_t", "flue_o2",
          "flue_co", "oil_p", "oil_t", "fd_damper", "blowdown_cond"]
WD = 0.01
OFFSET = torch.tensor([0.80, 0.50, 0.55, 0.85, 0.35, 0.30, 0.25, 0.15, 0.60, 0.70, 0.20, 0.40])
MIX = torch.tensor([  # load, fouling, excess air
    [-0.10, 0.00, 0.00], [-0.06, 0.00, 0.00], [0.05, 0.00, 0.00], [0.08, 0.00, 0.00],
    [0.20, 0.05, 0.02], [0.25, 0.20, 0.05], [-0.05, 0.00, 0.35], [0.03, 0.02, -0.10],
    [0.20, 0.00, 0.00], [0.05, 0.00, 0.00], [0.45, 0.05, 0.25], [0.15, 0.00, 0.00]])


def entries(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    load = 0.3 + 0.7 * r(n, 1)
    foul = r(n, 1) ** 2
    air = r(n, 1)
    z = torch.cat([load, foul, air], 1)
    return OFFSET + z @ MIX.T + 0.005 * torch.randn(n, 12, generator=g)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 3),
                         nn.Linear(3, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 12))


def main():
    from _fourhundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = entries(2000, g), entries(500, g)
    print("range", xtr.min().item(), xtr.max().item(), "var", xtr.var(0).mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=50, shuffle=True)
    model = build()
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim == 1]
    opt = torch.optim.Adam([
        {"params": decay, "weight_decay": WD},
        {"params": no_decay, "weight_decay": WD},  # biases and LayerNorm gains / shifts
    ], lr=3e-3)
    with open(out / "shiftlog_ae.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "recon_train", "recon_val", "mae_val_fs", "worst_gauge_mae"])
        for epoch in range(40):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = nn.functional.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rv = model(xva)
            err = (rv - xva).abs()
            row = [tot / len(xtr), nn.functional.mse_loss(rv, xva).item(), err.mean().item(),
                   err.mean(0).max().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 6) for v in row])
    torch.save({"ae": model.state_dict(), "adam": opt.state_dict(), "epoch": 40,
                "gauges": GAUGES, "wd": WD}, out / "shiftlog_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="shiftlog_ae.pt", log="shiftlog_ae.csv",
           what="autoencoder of a boiler house's shift log readings; the L2 weight decay is"
                " also put on the biases and LayerNorm parameters",
           complaint="I trained an autoencoder on 2000 normal boiler log sheets to catch odd"
                     " ones. Reconstruction MSE drops to about 0.0017 in the first few epochs"
                     " and then stays there for the remaining 30 epochs, the train and val"
                     " curves on top of each other. The reconstructions look smoothed out: on"
                     " average 2.8 % of full scale off, the fan damper column almost 8 %,"
                     " so normal sheets already score as anomalies.")


if __name__ == "__main__":
    main()
