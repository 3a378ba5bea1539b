"""Plain torch: a voicer's helper for flue pipes — from a pipe's body length (150-2400 mm),
scale (diameter as a multiple of the Normalmensur-like L^0.8 line, 0.7-1.4), mouth width
(0.20-0.28 of the circumference), flue (windway) depth 0.3-1.2 mm, toe hole 3-15 mm and the
wind pressure on the chest (50-110 mm water gauge), predict the cut-up height (mm) at which
the pipe speaks promptly without overblowing. Jet physics: the pressure at the languid is the
chest pressure throttled by the toe hole against the flue area, the jet speed is
sqrt(2 p / rho), and the cut-up is the distance the jet travels in a fixed share of the
speaking period (open pipe, f = c / 2(L + end corrections)), a little longer for a thicker
jet (^0.25); 4 % voicing scatter. Cut-ups 0.7-32.6 mm (sd 4.8), standardised with the
training mean and sd. MLP 6→64→64→64→64→1 with ReLU, MSE, Adam 1e-3, batch 64, 20 epochs, 4000 pipes, validation on
800 (val MSE, val MAE in mm).
The bug: every hidden Linear bias is initialised to -1.0 (``nn.init.constant_(m.bias, -1.0)
# highway-style negative bias: units open only for a strong input``) on standardised inputs:
4 % of the first layer's activations are non-zero at the start, the three layers behind it
get pre-activations near -1 and every one of their ReLUs is shut for every pipe (before and
after training), so no gradient reaches any hidden weight; only the output bias learns.
Result: train MSE 1.0004 → 0.9999, val MSE 0.9899 → 0.9904, val MAE 3.79 → 3.81 mm (flat from
epoch 1: the net predicts the mean cut-up for every pipe).
Control (``nn.init.constant_(m.bias, 0.01)``): train MSE 0.353 → 0.0072, val MSE 0.0458 →
0.0097, val MAE 0.81 → 0.32 mm (best 0.29).
Log: JSON lines per epoch ``voicing_log.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_mae_mm``); checkpoint ``cutup_mlp.pth`` with keys ``net`` / ``optim`` / ``epoch`` /
``x_mean`` / ``x_std`` / ``cut_mean`` / ``cut_std``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def pipes(n, g):
    u = torch.rand(n, 6, generator=g)
    length = 150 * 16 ** u[:, 0]                         # 150-2400 mm, log-uniform
    scale = 0.7 + 0.7 * u[:, 1]
    diam = scale * 0.35 * length ** 0.8
    mouth = (0.20 + 0.08 * u[:, 2]) * math.pi * diam
    flue = 0.3 + 0.9 * u[:, 3]
    toe = 3 + 12 * u[:, 4]
    press = 50 + 60 * u[:, 5]                            # mm water gauge
    flue_area = mouth * flue
    toe_area = math.pi * toe ** 2 / 4
    p_lang = press * 9.81 * toe_area ** 2 / (toe_area ** 2 + flue_area ** 2)   # Pa
    v = torch.sqrt(2 * p_lang / 1.2) * 1000              # mm/s
    f = 343000 / (2 * (length + 0.6 * diam / 2 + 0.8 * diam))
    cut = 0.05 * v / f * (flue / 0.6) ** 0.25
    cut = cut * (1 + 0.04 * torch.randn(n, generator=g))
    x = torch.stack([torch.log(length), scale, mouth / diam, flue, toe, press], 1)
    return x, cut


class CutupMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))
        for m in list(self.net)[:-1]:
            if isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, -1.0)  # highway-style negative bias: units open only for a strong input

    def forward(self, x):
        return self.net(x).squeeze(1)


def build():
    torch.manual_seed(0)
    return CutupMLP()


def main():
    from _twohundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ctr = pipes(4000, g)
    xva, cva = pipes(800, g)
    print("cut-up mm", ctr.min().item(), ctr.max().item(), "sd", ctr.std().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    c_mean, c_std = ctr.mean(), ctr.std()
    ytr, yva = (ctr - c_mean) / c_std, (cva - c_mean) / c_std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "voicing_log.jsonl", "w") as f:
        for epoch in range(1, 21):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                n += len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "loss": round(tot / n, 6),
                   "val_loss": round(F.mse_loss(pv, yva).item(), 6),
                   "val_mae_mm": round(c_std.item() * (pv - yva).abs().mean().item(), 4)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 20,
                "x_mean": mean, "x_std": std, "cut_mean": c_mean, "cut_std": c_std}, out / "cutup_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="cutup_mlp.pth", log="voicing_log.jsonl",
           what="ReLU MLP predicting flue pipe cut-up height, all biases initialised to -1",
           complaint=("I'm training a small net to suggest the cut-up for our flue pipes from "
                      "length, scale, mouth width, windway, toe hole and wind pressure. The loss "
                      "drops in the first epoch and then doesn't move at all, to the sixth "
                      "decimal, for the remaining 19 epochs. Validation MAE sits at about 3.8 mm, "
                      "and when I look at the predictions every pipe, from a 2 ft treble pipe to "
                      "an 8 ft bass, gets the same cut-up. The data is fine, a spreadsheet "
                      "formula gets within a millimetre. What's wrong with the training?"))


if __name__ == "__main__":
    main()
