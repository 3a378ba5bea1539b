"""Plain torch: an MLP predicts the Rockwell C hardness of a finished blade in a swordsmith's
shop from the steel and the heat treatment, so the smith can pick a tempering temperature
before committing a forged blank: carbon, manganese and chromium content, austenitising
temperature, quenchant (brine / water / fast oil / slow oil, as a Grossmann severity H),
blade spine thickness, tempering temperature and time. The as-quenched hardness follows the
carbon content (martensite hardness, capped near 0.8 % C, minus retained austenite from
too hot an austenitise), lowered when a thick spine in a slow quenchant misses full
hardening; tempering then softens it along the Hollomon-Jaffe parameter
P = T_K (20 + log10 t_h) / 1000, chromium resisting the drop. Rockwell readings scatter by
about ±0.7 HRC.
Input: 8 standardised settings; target (HRC - 55) / 8. Model: Linear 8→64, ReLU, Linear
64→64, ReLU, Linear 64→32, ReLU, Linear 32→1; MSE, Adam 2e-3, batch 32, 30 epochs, 1800
blades, validation on 400.
The bug: the layers are initialised by ``init_layers`` with Kaiming weights and
``nn.init.constant_(m.bias, -1.5)``, so most of the first layer and then everything after
it never fires: on the saved validation batch 61 of 64 first-layer units, 16 of 64 second-layer
units and 0 of 32 third-layer units are active for any blade; the net predicts one hardness
for every blade, val MSE 1.40 → 0.797 and flat from epoch 20 (the target variance is 0.77),
val MAE 7.95 → 5.85 HRC (control, ``nn.init.constant_(m.bias, 0.0)``: val MSE 0.152 →
0.0315, MAE 2.50 → 1.11 HRC against 0.7 HRC reading scatter).
Log: JSON lines ``hrc_fit.jsonl``, ``{"step", "mse"}`` every 20 steps and
``{"epoch", "val_mse", "val_mae_hrc"}`` after each epoch; checkpoint ``blade_hrc.pth`` with
keys ``mlp`` / ``adam`` / ``epoch`` / ``feature_mean`` / ``feature_std`` / ``hrc_offset`` /
``hrc_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def blades(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c = 0.45 + 0.6 * r(n)  # % carbon
    mn = 0.2 + 0.8 * r(n)
    cr = 1.5 * r(n) ** 2
    aust = 780 + 100 * r(n)  # °C
    sev = torch.tensor([5.0, 1.2, 0.5, 0.3])[torch.randint(0, 4, (n,), generator=g)]
    spine = 3 + 5 * r(n)  # mm
    temper = 150 + 400 * r(n)  # °C
    hours = 0.5 + 2.5 * r(n)
    martensite = 20 + 50 * c.clamp(max=0.8) ** 0.5
    retained = 0.04 * (aust - 820).clamp(min=0) * (c - 0.6).clamp(min=0) * 10
    ideal_mm = 6 * sev ** 0.5 * (1 + 0.6 * mn + 0.8 * cr)  # what that quench fully hardens
    missed = 8 * torch.sigmoid((spine - ideal_mm) / 1.0)
    hq = martensite - retained - missed
    p = (temper + 273) * (20 + torch.log10(hours)) / 1000
    hrc = hq - (2.6 - 0.8 * cr) * (p - 8.5).clamp(min=0)
    hrc = hrc + 0.7 * torch.randn(n, generator=g)
    x = torch.stack([c, mn, cr, aust, sev, spine, temper, hours], 1)
    return x, hrc.unsqueeze(1)


def init_layers(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -1.5)  # start the hidden units with a small negative offset


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    model.apply(init_layers)
    return model


def main():
    from _fourhundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, htr = blades(1800, g)
    xva, hva = blades(400, g)
    print("HRC", htr.mean().item(), htr.std().item(), htr.min().item(), htr.max().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    ytr, yva = (htr - 55) / 8, (hva - 55) / 8
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "hrc_fit.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 20 == 0:
                    f.write(json.dumps({"step": step, "mse": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            rec = {"epoch": epoch, "val_mse": round(nn.functional.mse_loss(pred, yva).item(), 6),
                   "val_mae_hrc": round(8 * (pred - yva).abs().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epoch": 30,
                "feature_mean": mean, "feature_std": std, "hrc_offset": 55.0, "hrc_scale": 8.0},
               out / "blade_hrc.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="blade_hrc.pth", log="hrc_fit.jsonl",
           what="MLP predicting a blade's Rockwell C hardness from steel and heat treatment;"
                " every layer's bias initialised to -1.5",
           complaint="I trained a small network to predict blade hardness (HRC) from the steel"
                     " and heat treatment. The loss drops during the first few epochs and"
                     " then goes completely flat; after 30 epochs it is off by almost 6 HRC"
                     " on average and gives nearly the same number for a 1095 blade tempered"
                     " at 150 C as for a 1060 blade tempered at 500 C. More epochs change"
                     " nothing.")


if __name__ == "__main__":
    main()
