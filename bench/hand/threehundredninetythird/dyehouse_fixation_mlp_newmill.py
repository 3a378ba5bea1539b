"""Plain torch: an MLP predicts the fixation (share of the reactive dye that ends bonded to
the cotton, %) of a dye lot from its recipe, so a dyehouse can set the depth before the lot
goes in: dye depth (% on weight of fabric), salt (g/L), soda ash (g/L), dyeing temperature
(°C), time at temperature (min) and liquor ratio (L of bath per kg). The rule behind it:
exhaustion towards a salt-driven Langmuir level, lower in a long bath (liquor ratio) and for
deep shades, reached at a temperature-dependent rate; fixation is that times an alkali
factor, less the dye lost to hydrolysis (more with hot, strongly alkaline baths), less the
dye the calcium in hard water throws out of solution; 1.5 points of lab scatter.
The dyehouse's winches (liquor ratio 12-25) on softened water (hardness 10-60 ppm) give the
training lots; the check uses the lots dyed since the move to the new mill, with its jets
(liquor ratio 5-10) on borehole water (hardness 180-320 ppm, not logged, not an input).
Input: (6,) standardised with the train mean / std; target (fixation - 50) / 10.
Model: 6→64→Tanh→64→Tanh→32→Tanh→1; MSE, Adam 1e-3, batch 128, 40 epochs, 1600 lots,
validation on 400.
The bug: the validation lots come from another plant, ``lots_va, fix_va = dye_lots(400, g,
site="new_mill")  # lots dyed since the move, for an honest check``, whose liquor ratios lie
outside the training range and whose hard water takes dye out of every bath: train MSE 0.115 → 0.038 while val MSE is
0.56 at the first epoch, 0.39 at the second and 0.58 at the end, val MAE 7.1 → 7.4 points,
the model 7.4 points too high on average (control, ``site="old_works"``: val MSE 0.076 →
0.036, MAE 2.17 → 1.51 points, bias 0.0 points).
Log: CSV per epoch ``fixation_epochs.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_pts`` / ``val_bias_pts``); checkpoint ``fixation_mlp.tar`` with keys ``mlp`` /
``adam`` / ``epoch`` / ``recipe_mean`` / ``recipe_std`` / ``target_shift_scale``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def dye_lots(n, g, site="old_works"):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 0.5 + 4.5 * r(n)
    salt = 20 + 60 * r(n)
    soda = 5 + 15 * r(n)
    temp = 50 + 30 * r(n)
    time = 30 + 60 * r(n)
    if site == "new_mill":
        lr = 5 + 5 * r(n)
        hard = 180 + 140 * r(n)
    else:
        lr = 12 + 13 * r(n)
        hard = 10 + 50 * r(n)
    level = 0.4 + 0.6 * (salt / (salt + 15)) * (45 / (45 + lr + 3 * depth))
    rate = 0.05 * torch.exp(0.05 * (temp - 60))
    exhaust = level * (1 - 0.5 * torch.exp(-rate * time))
    alkali = soda / (soda + 2)
    hydrolysis = 0.003 * soda * torch.exp(0.04 * (temp - 60)) * time / 60
    calcium = 0.3 * hard / (hard + 150)
    fix = 100 * (exhaust * alkali - hydrolysis) * (1 - calcium) + 1.5 * torch.randn(n, generator=g)
    return torch.stack([depth, salt, soda, temp, time, lr], 1), fix


class FixationMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                  nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return FixationMLP()


def main():
    from _threehundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    lots_tr, fix_tr = dye_lots(1600, g)
    lots_va, fix_va = dye_lots(400, g, site="new_mill")  # lots dyed since the move, for an honest check
    mean, std = lots_tr.mean(0), lots_tr.std(0)
    xtr, xva = (lots_tr - mean) / std, (lots_va - mean) / std
    ytr, yva = ((fix_tr - 50) / 10).unsqueeze(1), ((fix_va - 50) / 10).unsqueeze(1)
    print("fixation train", fix_tr.mean().item(), fix_tr.std().item(), "val", fix_va.mean().item(), fix_va.std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "fixation_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_pts", "val_bias_pts"])
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = 10 * (p - yva)
            row = [tot / len(xtr), nn.functional.mse_loss(p, yva).item(), err.abs().mean().item(),
                   err.mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epoch": 40,
                "recipe_mean": mean, "recipe_std": std, "target_shift_scale": (50.0, 10.0)},
               out / "fixation_mlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="fixation_mlp.tar", log="fixation_epochs.csv",
           what="MLP predicting a reactive dye lot's fixation from its recipe; trained on the"
                " old works' winch lots, validated on the new mill's jet lots on hard water",
           complaint="Fixation predictor for our reactive dyeings: on the training lots the"
                     " error is down to 0.038 (about 2 points of fixation) after 40 epochs,"
                     " but on the check lots it never got below 0.39 and finished at 0.58,"
                     " about 7.4 points off, and always on the high side: it promises more"
                     " colour on the cloth than the lab measures. Tried more epochs, the check"
                     " error does not move.")


if __name__ == "__main__":
    main()
