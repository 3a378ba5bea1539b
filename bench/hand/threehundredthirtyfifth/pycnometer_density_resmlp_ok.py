"""Plain torch: a residual MLP gives the skeletal density of a powder sample straight from a
helium gas pycnometer's run record, so the lab's LIMS can check the instrument's own figure.
The pycnometer fills the sample cell to P1 (about 19.5 psig), opens the valve to the
reference volume and reads P2; the sample volume is Vs = Vc - Vr / (P1/P2 - 1) and the density
is mass / Vs. Three cell inserts (10, 35 and 100 cm³, each with its calibrated reference
volume), samples of 1.1-4.5 g/cm³ filling 25-75 % of the cell, a small temperature effect on
the gas, and transducer (0.003 psi) and balance (0.5 mg) noise.
Input: P1, P2 (psig), cell temperature (°C), sample mass (g), the cell insert one-hot (7
features, standardised). Target: density - 2.8 (g/cm³). Model: Linear 7→64, 3 residual
blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64, added back), LayerNorm, Linear 64→1;
MSE, AdamW 3e-3 (weight decay 1e-4) with ReduceLROnPlateau (×0.5, patience 3) on val MSE,
batch 64, 30 epochs, 3000 runs, validation on 600.
Healthy; numbers in the README.
Log: TSV per epoch ``pyc_fit.tsv`` (``epoch`` / ``lr`` / ``loss_train`` / ``loss_val`` /
``val_mae_gcc``); checkpoint ``pyc_resmlp.pth`` with keys ``weights`` / ``opt_state`` /
``plateau`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``rho_center``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

CELLS = torch.tensor([[10.0, 7.5], [35.0, 22.0], [100.0, 64.0]])  # Vc, Vr in cm³


def runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cell = torch.randint(0, 3, (n,), generator=g)
    vc, vr = CELLS[cell, 0:1], CELLS[cell, 1:2]
    rho = 1.1 + 3.4 * r(n, 1)
    vs = vc * (0.25 + 0.5 * r(n, 1))
    mass = rho * vs
    temp = 20 + 8 * r(n, 1)
    p1 = 19.2 + 0.6 * r(n, 1)
    p2 = p1 * (vc - vs) / (vc - vs + vr * (1 + 0.0005 * (temp - 24)))
    p1 = p1 + 0.003 * torch.randn(n, 1, generator=g)
    p2 = p2 + 0.003 * torch.randn(n, 1, generator=g)
    mass = mass + 0.0005 * torch.randn(n, 1, generator=g)
    x = torch.cat([p1, p2, temp, mass, nn.functional.one_hot(cell, 3).float()], 1)
    return x, rho - 2.8


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class PycResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(7, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return PycResMLP()


def main():
    from _threehundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runs(3000, g)
    xva, yva = runs(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "pyc_fit.tsv", "w") as f:
        f.write("epoch\tlr\tloss_train\tloss_val\tval_mae_gcc\n")
        for epoch in range(30):
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
                pred = model(xva)
            vl = nn.functional.mse_loss(pred, yva).item()
            mae = (pred - yva).abs().mean().item()
            lr = opt.param_groups[0]["lr"]
            plateau.step(vl)
            f.write(f"{epoch}\t{lr:.6g}\t{tot / len(xtr):.6g}\t{vl:.6g}\t{mae:.6g}\n")
            print(epoch, lr, round(tot / len(xtr), 5), round(vl, 5), round(mae, 4))
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 30, "feat_mean": mu, "feat_std": sd,
                "rho_center": 2.8}, out / "pyc_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pyc_resmlp.pth", log="pyc_fit.tsv",
           what="residual MLP giving a powder's skeletal density from a helium pycnometer's"
                " pressures, temperature and sample mass (healthy)")


if __name__ == "__main__":
    main()
