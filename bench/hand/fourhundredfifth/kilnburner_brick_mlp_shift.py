"""Plain torch: an MLP predicts the firing shrinkage (linear, %) of a setting of clay bricks
from what a brickworks' kilnburner writes in the firing book: clay moisture at setting (%),
flux content of the clay (Fe2O3 + alkalis, %), sand temper (%), peak temperature (°C), soak
at peak (h), and the ramp over the last 200 °C (°C/h). The rule behind the numbers is the
sintering of the clay body: drying shrinkage grows with the setting moisture, firing
shrinkage rises in an S-curve with the peak temperature past a sintering onset that comes
earlier the more flux the clay holds (onset 1090 - 25 °C per % flux), grows with the soak
(log), is cut by sand temper, and a fast final ramp leaves a little of it undone; measured
on 10 bricks, with scatter. Input: (6,) standardised with the training mean / std; target
(shrinkage - 6) / 3. Model: 6→64→SiLU→64→SiLU→1; MSE, Adam 1e-3, batch 64, 40 epochs,
1800 firings from the old coal kiln (peak 900-1010 °C, flux 2.5-5 %, soak 2-8 h, ramp 20-50
°C/h), 600 validation firings.
The bug: the validation firings are read from the new gas kiln,
``va = firing_book(600, g, kiln="gas")``, that fires hotter and faster (peak 1060-1180 °C,
soak 1-3 h, ramp 40-90 °C/h) and is fed clay from the new pit (flux 5-8 %), so the model is
checked on firings past everything it was trained on, where the sintering curve has levelled
off: train MSE 0.449 → 0.0079 on the scaled target while val MSE goes 0.258 → 8.90 after
epoch 1, up to 19.9 at epoch 14 and back to 8.07 at the end, val MAE 8.1 % shrinkage
(control, ``kiln="coal"``: val MSE 0.130 → 0.0080, val MAE 0.93 → 0.21 %).
Log: TSV per epoch ``shrink_fit.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_pct``); checkpoint ``brick_mlp.pt`` with keys ``mlp`` / ``opt`` / ``epoch`` /
``feat_mean`` / ``feat_std`` / ``shrink_offset_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLS = ["moisture_pct", "flux_pct", "sand_pct", "peak_c", "soak_h", "ramp_c_per_h"]


def firing_book(n, g, kiln="coal"):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    moist = 16 + 8 * r(n)
    sand = 5 + 20 * r(n)
    if kiln == "coal":
        flux, peak, soak, ramp = 2.5 + 2.5 * r(n), 900 + 110 * r(n), 2 + 6 * r(n), 20 + 30 * r(n)
    else:
        flux, peak, soak, ramp = 5 + 3 * r(n), 1060 + 120 * r(n), 1 + 2 * r(n), 40 + 50 * r(n)
    onset = 1090 - 25 * flux
    fired = 9.0 * torch.sigmoid((peak - onset) / 35) * (1 + 0.25 * torch.log1p(soak))
    fired = fired * (1 - 0.02 * sand) * (1 - 0.003 * (ramp - 20))
    dry = 0.3 * (moist - 14)
    shrink = dry + fired + 0.25 * torch.randn(n, generator=g)
    return torch.stack([moist, flux, sand, peak, soak, ramp], 1), shrink


class ShrinkMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                  nn.Linear(64, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return ShrinkMLP()


def main():
    from _fourhundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = firing_book(1800, g, kiln="coal")
    va = firing_book(600, g, kiln="gas")  # this season's firings for the check
    mu, sd = tr[0].mean(0), tr[0].std(0)
    xtr, xva = (tr[0] - mu) / sd, (va[0] - mu) / sd
    ytr, yva = ((tr[1] - 6) / 3).unsqueeze(1), ((va[1] - 6) / 3).unsqueeze(1)
    print("shrink train", tr[1].mean().item(), tr[1].std().item(), "val", va[1].mean().item(),
          va[1].std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "shrink_fit.tsv", "w") as log:
        log.write("epoch\ttrain_mse\tval_mse\tval_mae_pct\n")
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [tot / len(xtr), F.mse_loss(pred, yva).item(),
                   3 * (pred - yva).abs().mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"mlp": model.state_dict(), "opt": opt.state_dict(), "epoch": 40,
                "feat_mean": mu, "feat_std": sd, "shrink_offset_scale": (6.0, 3.0)},
               out / "brick_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="brick_mlp.pt", log="shrink_fit.tsv",
           what="MLP predicting brick firing shrinkage from the firing book; trained on the old"
                " coal kiln, validated on the new gas kiln's hotter, faster firings",
           complaint="Brick shrinkage model: training MSE drops nicely from 0.45 to under 0.01,"
                     " but validation MSE is 0.26 after the first epoch, then jumps to 9, climbs"
                     " to 20 and is still 8 after 40 epochs. The predictions are off by about"
                     " 8 % shrinkage on the check firings, always too high.")


if __name__ == "__main__":
    main()
