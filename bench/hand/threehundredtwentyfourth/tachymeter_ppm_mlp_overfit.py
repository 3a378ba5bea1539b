"""Plain torch: an MLP predicts the correction (mm) a surveyor's tachymeter (total station)
needs on a measured slope distance, so the field book can be reduced without looking up the
atmospheric chart and the prism table. 8 inputs: slope distance (20-600 m, detail
survey), vertical angle (gon from the horizon), air temperature (°C), pressure (hPa), relative humidity (%), prism
constant (mm), instrument height and target height (m). The correction: the atmospheric
ppm (about 282 - 0.2904 p / (1 + 0.00366 t) plus a humidity term that grows with the
vapour pressure at the temperature), times the distance, plus the prism constant, plus the
earth-curvature / refraction term on the horizontal reduction (k = 0.13, grows with D²),
plus the centring error of the field crew (± 2 mm). Input: (8,) standardised with the
train mean / std. Target: correction / 20 mm.
Model: 8→256→ReLU→256→ReLU→256→ReLU→1; MSE, Adam 1e-3, no weight decay, batch 32,
150 epochs, validation on 600 shots.
The bug: the training table is cut to the first 96 shots (the ones the crew measured on the
calibration baseline) with ``xtr, ytr = xtr[:96], ytr[:96]``, and the wide net is trained
for 150 epochs on them: train MSE falls to 3.5e-6 while val MSE bottoms out at 0.0436
(epoch 29) and creeps back to 0.0451 (val RMSE 4.25 mm at the end) (control, trained on all
2400 shots: train 0.0014, val 0.0182, best 0.0146 at epoch 13, val RMSE 2.70 mm).
Log: CSV per epoch ``reduction_train.csv`` (``epoch`` / ``train_mse``) and a separate
``reduction_val.csv`` (``epoch`` / ``val_mse`` / ``val_rmse_mm``); checkpoint
``tachy_mlp.pth`` with keys ``weights`` / ``adam`` / ``epochs_done`` / ``x_mean`` /
``x_std`` / ``y_scale_mm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def shots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = 20 + 580 * r(n)
    v = -15 + 30 * r(n)  # gon from the horizon
    t = -10 + 45 * r(n)
    p = 880 + 150 * r(n)
    rh = 20 + 75 * r(n)
    prism = torch.tensor([0.0, -17.5, -34.4, 30.0])[torch.randint(0, 4, (n,), generator=g)]
    hi, ht = 1.4 + 0.3 * r(n), 1.3 + 1.2 * r(n)
    e = 6.1078 * torch.exp(17.27 * t / (t + 237.3))
    ppm = 282.3 - 0.2904 * p / (1 + 0.00366 * t) + 0.0412 * rh / 100 * e / (1 + 0.00366 * t)
    hd = d * torch.cos(v * torch.pi / 200)
    curv = -0.87 * hd ** 2 / (2 * 6371e3) * 1000 * torch.sin(v.abs() * torch.pi / 200) * 4
    corr = ppm * d / 1000 + prism + curv + 0.01 * (hi - ht) * v
    corr = corr + 2 * torch.randn(n, generator=g)
    x = torch.stack([d, v, t, p, rh, prism, hi, ht], 1)
    return x, (corr / 20).unsqueeze(1)


class PpmNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(8, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                               nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 1))

    def forward(self, x):
        return self.f(x)


def build():
    torch.manual_seed(0)
    return PpmNet()


def main():
    from _threehundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shots(2400, g)
    xva, yva = shots(600, g)
    xtr, ytr = xtr[:96], ytr[:96]  # baseline shots: the ones we trust
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("target", ytr.mean().item(), ytr.std().item(), "n", len(xtr))
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    ftr = open(out / "reduction_train.csv", "w")
    fva = open(out / "reduction_val.csv", "w")
    ftr.write("epoch,train_mse\n")
    fva.write("epoch,val_mse,val_rmse_mm\n")
    for epoch in range(150):
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
            vm = F.mse_loss(model(xva), yva).item()
        ftr.write(f"{epoch},{tot / len(xtr):.6g}\n")
        fva.write(f"{epoch},{vm:.6g},{20 * vm ** 0.5:.4g}\n")
        if epoch % 10 == 0 or epoch == 149:
            print(epoch, tot / len(xtr), vm, 20 * vm ** 0.5)
    ftr.close()
    fva.close()
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epochs_done": 150,
                "x_mean": mean, "x_std": std, "y_scale_mm": 20.0}, out / "tachy_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="tachy_mlp.pth", log="reduction_val.csv",
           what="wide MLP predicting a tachymeter's slope-distance correction from the"
                " atmosphere, prism and geometry, trained on only the first 96 shots",
           complaint="Our distance-correction net fits the training shots almost perfectly,"
                     " but on the shots we hold back it was best after a few epochs and has"
                     " been creeping up ever since. The training error is practically zero,"
                     " the held-back shots are off by over 4 mm.")


if __name__ == "__main__":
    main()
