"""Plain torch: a residual MLP estimates a main-belt asteroid's diameter from what an infrared
survey plus the optical catalogue give: the absolute magnitude H (catalogue value, 0.25 mag
scatter as H values notoriously have), the thermal fluxes at 12 and 22 microns (log10, 6 %
noise), the heliocentric and observer distances r and delta (AU) and the phase angle (deg).
The truth follows a thermal model: D = 1329 km / sqrt(albedo) * 10^(-H/5); the sub-solar
temperature 393 K * (1 - A)^0.25 / sqrt(r * eta) with beaming eta 0.8-1.2; the flux at each band
goes as D^2 / delta^2 times the Planck function at that band for 0.8 x the sub-solar
temperature, dimmed by 0.01 mag per degree of phase. Albedos 0.03-0.5 (log-uniform), D 2-80
km. Target log10 D, standardised; inputs standardised.
Linear 6→96, 3 residual blocks (x + Linear-SiLU-Linear, a LayerNorm before each), LayerNorm,
linear 96→1; MSE, RAdam 2e-3 with CosineAnnealingLR to 1e-5 over 30 epochs, batch 100,
4000 asteroids, validation on 1000 (val MSE, val median diameter error in %).
Log: CSV per epoch ``diameters.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_med_err_pct`` / ``lr``); checkpoint ``diam_resmlp.pt`` with keys ``model`` / ``radam`` /
``cosine`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``y_mean`` / ``y_std``.
Healthy; numbers in the README."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def planck(lam_um, t):
    lam = lam_um * 1e-6
    return 1.0 / (lam ** 5 * (torch.exp(1.4388e-2 / (lam * t)) - 1))


def catalogue(n, g):
    u = lambda: torch.rand(n, generator=g)  # noqa: E731
    logd = math.log10(2) + (math.log10(80) - math.log10(2)) * u()
    alb = 10 ** (math.log10(0.03) + (math.log10(0.5) - math.log10(0.03)) * u())
    h = 5 * torch.log10(1329 / (10 ** logd * alb.sqrt()))
    r = 2.1 + 1.2 * u()
    delta = (r - 1) + 0.8 * u()
    phase = 10 + 20 * u()
    eta = 0.8 + 0.4 * u()
    tss = 393 * (1 - 0.4 * alb) ** 0.25 / (r * eta).sqrt()
    feats = []
    for lam in (12.0, 22.0):
        f = 2 * logd - 2 * torch.log10(delta) + torch.log10(planck(torch.tensor(lam), 0.8 * tss))
        f = f - 0.004 * phase + torch.log10(1 + 0.06 * torch.randn(n, generator=g)).nan_to_num(0)
        feats.append(f)
    x = torch.stack([h + 0.25 * torch.randn(n, generator=g), feats[0], feats[1], r, delta, phase], 1)
    return x, logd


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class DiameterNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 96)
        self.blocks = nn.Sequential(Block(96), Block(96), Block(96))
        self.out = nn.Sequential(nn.LayerNorm(96), nn.Linear(96, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x))).squeeze(-1)


def build():
    torch.manual_seed(0)
    return DiameterNet()


def main():
    from _twohundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, dtr = catalogue(4000, g)
    rva, dva = catalogue(1000, g)
    xm, xs, ym, ys = rtr.mean(0), rtr.std(0), dtr.mean(), dtr.std()
    xtr, xva, ytr, yva = (rtr - xm) / xs, (rva - xm) / xs, (dtr - ym) / ys, (dva - ym) / ys
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.RAdam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 30, eta_min=1e-5)
    with open(out / "diameters.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_med_err_pct,lr\n")
        for epoch in range(1, 31):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vm = F.mse_loss(p, yva).item()
                err = (10 ** ((p - yva).abs() * ys) - 1).median().item() * 100
            print(epoch, tot / n, vm, err)
            f.write(f"{epoch},{tot / n:.6g},{vm:.6g},{err:.4g},{lr:.6g}\n")
    torch.save({"model": model.state_dict(), "radam": opt.state_dict(), "cosine": sched.state_dict(),
                "epoch": 30, "x_mean": xm, "x_std": xs, "y_mean": ym, "y_std": ys},
               out / "diam_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="diam_resmlp.pt", log="diameters.csv",
           what="residual MLP estimating asteroid diameters from thermal fluxes and H (healthy)")


if __name__ == "__main__":
    main()
