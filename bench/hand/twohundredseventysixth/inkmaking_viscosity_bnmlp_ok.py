"""Plain torch: an MLP with BatchNorm predicts the viscosity of a letterpress / offset ink at
the mill from the batch sheet: pigment volume fraction (0.05-0.35), the pigment's maximum
packing fraction (0.52-0.68, lower for needle-like pigments), the varnish viscosity (log10 Pa s,
0.3-1.6), the temperature at which it is read (18-40 C) and the dispersant dose (0-3 % on
pigment, which raises the effective packing by 0.02 per %). The truth is Krieger-Dougherty with
an Arrhenius temperature term: eta = eta_varnish * (1 - phi / phi_m)^(-2.5 phi_m) *
exp(5200 (1 / T - 1 / 298 K)), 4 % scatter from the cone-and-plate reading. Target log10 eta,
standardised; inputs standardised.
5→64-BN-ReLU→64-BN-ReLU→1, MSE, SGD momentum 0.9 nesterov, OneCycleLR to 0.05 over 25 epochs,
batch 128, 4000 batch sheets, validation on 1000 (val MSE, val median error in %).
Log: TSV per epoch ``viscosity.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_med_pct`` / ``lr``); checkpoint ``ink_visc.pt`` with keys ``mlp`` / ``sgd`` /
``onecycle`` / ``epoch`` / ``in_mean`` / ``in_std`` / ``log_eta_mean`` / ``log_eta_std``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def batch_sheets(n, g):
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)  # noqa: E731
    phi, phim, logv, temp, disp = u(0.05, 0.35), u(0.52, 0.68), u(0.3, 1.6), u(18, 40), u(0, 3)
    pm = phim + 0.02 * disp
    log_eta = (logv - 2.5 * pm * torch.log10(1 - phi / pm)
               + 5200 * (1 / (temp + 273.15) - 1 / 298.15) / 2.3026)
    log_eta = log_eta + torch.log10(1 + 0.04 * torch.randn(n, generator=g))
    return torch.stack([phi, phim, logv, temp, disp], 1), log_eta


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 64), nn.BatchNorm1d(64), nn.ReLU(),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 1),
                         nn.Flatten(0))


def main():
    from _twohundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, etr = batch_sheets(4000, g)
    rva, eva = batch_sheets(1000, g)
    xm, xs, ym, ys = rtr.mean(0), rtr.std(0), etr.mean(), etr.std()
    xtr, xva, ytr, yva = (rtr - xm) / xs, (rva - xm) / xs, (etr - ym) / ys, (eva - ym) / ys
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=25,
                                                steps_per_epoch=len(loader))
    with open(out / "viscosity.tsv", "w") as f:
        f.write("epoch\ttrain_mse\tval_mse\tval_med_pct\tlr\n")
        for epoch in range(1, 26):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vm = F.mse_loss(p, yva).item()
                med = ((10 ** ((p - yva).abs() * ys) - 1).median() * 100).item()
            print(epoch, tot / n, vm, med)
            f.write(f"{epoch}\t{tot / n:.6g}\t{vm:.6g}\t{med:.4g}\t{sched.get_last_lr()[0]:.6g}\n")
    torch.save({"mlp": model.state_dict(), "sgd": opt.state_dict(), "onecycle": sched.state_dict(),
                "epoch": 25, "in_mean": xm, "in_std": xs, "log_eta_mean": ym, "log_eta_std": ys},
               out / "ink_visc.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ink_visc.pt", log="viscosity.tsv",
           what="BatchNorm MLP predicting printing ink viscosity from the batch sheet (healthy)")


if __name__ == "__main__":
    main()
