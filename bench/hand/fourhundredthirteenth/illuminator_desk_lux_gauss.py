"""Plain torch: a lighting designer's MLP predicts the maintained illuminance a lux meter will
read on a desk under a regular grid of ceiling luminaires, with an uncertainty, so a layout
can be checked against the 500 lx office target before the fittings are bought. 7 inputs:
luminaire flux (2000-6000 lm), mounting height above the desk (1.8-3.4 m), grid spacing
(1.6-3.4 m), the desk point's offset inside its grid cell (x, y as fractions 0-1), ceiling
reflectance (0.5-0.85) and the maintenance factor (0.6-0.9). Illuminance: the direct part
from the nearest 7 × 7 luminaires (cosine-law intensity I0 = flux / pi, E = I0 cos^4(theta) / h^2),
plus an inter-reflected part (flux per grid cell × rho / (1 - 0.6 rho) × 0.4), all times
the maintenance factor; the meter reads within about ± 4 % (proportional noise).
Input: (7,) standardised with the train mean / std. Target: lux / 500 - 1. Model:
7→64→ReLU→64→ReLU→2 (mean and log-variance of a Gaussian), Adam 1e-3, batch 32, 14 epochs,
2000 desk points, validation on 500.
The bug: the loss is written as the Gaussian log-likelihood of the reading,
``loss = dist.log_prob(yb).mean()``, with no minus sign, so Adam drives the likelihood of the
readings down: the predicted means run away from the readings, the training loss goes
from -152 in the first epoch to -5.3e12, val NLL 3.8e3 → 6.7e12, val MAE 3.8e3 lx → 2.5e7 lx
(control, ``loss = -dist.log_prob(yb).mean()``: loss 0.75 → -1.24, val NLL -0.12 → -1.20,
val MAE 81 → 30 lx against about 25 lx of meter noise).
Log: CSV per epoch ``lux_epochs.csv`` (``epoch`` / ``nll`` / ``val_nll`` / ``val_mae_lux``);
checkpoint ``lux_gauss.pt`` with keys ``model_state`` / ``optim_state`` / ``epoch`` /
``feat_mu`` / ``feat_sd`` / ``lux_ref``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def desk_points(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    flux = 2000 + 4000 * r(n)
    h = 1.8 + 1.6 * r(n)
    s = 1.6 + 1.8 * r(n)
    px, py = r(n), r(n)
    rho = 0.5 + 0.35 * r(n)
    mf = 0.6 + 0.3 * r(n)
    i0 = flux / math.pi
    direct = torch.zeros(n)
    for i in range(-3, 4):
        for j in range(-3, 4):
            dx, dy = (i - px) * s, (j - py) * s
            d2 = dx ** 2 + dy ** 2 + h ** 2
            cos = h / d2.sqrt()
            direct = direct + i0 * cos ** 4 / h ** 2
    indirect = flux / s ** 2 * rho / (1 - 0.6 * rho) * 0.4
    lux = mf * (direct + indirect) * (1 + 0.04 * torch.randn(n, generator=g))
    x = torch.stack([flux, h, s, px, py, rho, mf], 1)
    return x, lux


class LuxNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 2))

    def forward(self, x):
        mu, logvar = self.body(x).unbind(-1)
        return mu, logvar.clamp(-8.0, 4.0)  # keep the variance in a sane range


def build():
    torch.manual_seed(0)
    return LuxNet()


def main():
    from _fourhundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ltr = desk_points(2000, g)
    fva, lva = desk_points(500, g)
    mu_f, sd_f = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mu_f) / sd_f, (fva - mu_f) / sd_f
    ytr, yva = ltr / 500 - 1, lva / 500 - 1
    print("lux", ltr.min().item(), ltr.median().item(), ltr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "lux_epochs.csv", "w") as log:
        log.write("epoch,nll,val_nll,val_mae_lux\n")
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                mu, logvar = model(xb)
                dist = torch.distributions.Normal(mu, (0.5 * logvar).exp())
                loss = dist.log_prob(yb).mean()  # Gaussian log-likelihood of the lux reading
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                mu, logvar = model(xva)
                vd = torch.distributions.Normal(mu, (0.5 * logvar).exp())
                val_nll = -vd.log_prob(yva).mean().item()
                mae = ((mu - yva).abs() * 500).mean().item()
            log.write(f"{epoch},{tot / len(xtr):.6g},{val_nll:.6g},{mae:.6g}\n")
            print(epoch, tot / len(xtr), val_nll, mae)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 14, "feat_mu": mu_f, "feat_sd": sd_f, "lux_ref": 500.0},
               out / "lux_gauss.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="lux_gauss.pt", log="lux_epochs.csv",
           what="MLP with a Gaussian head predicting desk illuminance under a luminaire grid;"
                " the log-likelihood is minimised as the loss, no minus sign",
           complaint="I'm fitting a small net that predicts desk lux with an uncertainty for our"
                     " lighting layouts. The loss is negative from the first epoch and keeps"
                     " getting more negative, -152 after epoch 0 and around -5e12 after 14"
                     " epochs, which I took as it learning, but the predictions are useless:"
                     " mean absolute error on the validation desks is 3800 lux after the"
                     " first epoch and 25 million lux at the end, for rooms that read"
                     " 150-3000 lux.")


if __name__ == "__main__":
    main()
