"""Plain torch: a GRU follows the martensite transformation in a quench dilatometer. A steel
specimen (carbon 0.15-0.75 %, Mn 0.3-1.6 %, Cr 0-1.4 %, Ni 0-2 %, Mo 0-0.4 %) is
austenitised and gas-quenched from 880 °C to 20 °C; the push rod reads its length change at 64
temperatures on the way down. Austenite contracts at about 22e-6 / K, martensite at 12e-6 /
K; below the martensite start temperature (Andrews: Ms = 539 - 423 C - 30.4 Mn - 12.1 Cr -
17.7 Ni - 7.5 Mo) the lattice change makes the specimen swell by 0.6-1.1 % × the fraction
transformed, which follows Koistinen-Marburger, f = 1 - exp(-0.011 (Ms - T)). The rod's zero
and the specimen length vary from run to run; reading noise 2e-5.
Input: (64, 2) per step, (T - 450) / 450 and ΔL / L in per mille. Target per step: the
martensite fraction f. Model: GRU (2→48, 2 layers), Linear 48→1 per step, sigmoid; MSE,
AdamW 3e-3 (weight decay 1e-4) with OneCycleLR, batch 32, 18 epochs, 640 quenches,
validation on 160.
Healthy; numbers in the README.
Log: TSV per epoch ``quench_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_fraction`` / ``val_t10_error_c``); checkpoint ``ms_gru.pt`` with keys ``gru`` / ``adamw``
/ ``onecycle`` / ``epoch`` / ``t_scale`` / ``dl_unit``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

TEMP = torch.linspace(880.0, 20.0, 64)


def quenches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c, mn, cr = 0.15 + 0.6 * r(n, 1), 0.3 + 1.3 * r(n, 1), 1.4 * r(n, 1)
    ni, mo = 2.0 * r(n, 1), 0.4 * r(n, 1)
    ms = 539 - 423 * c - 30.4 * mn - 12.1 * cr - 17.7 * ni - 7.5 * mo
    f = (1 - torch.exp(-0.011 * (ms - TEMP))).clamp(min=0.0)
    swell = (0.006 + 0.005 * r(n, 1)) * (1.2 - 0.5 * c)
    dl = (22e-6 * (1 - f) + 12e-6 * f) * (TEMP - 880) + swell * f
    dl = dl + 2e-4 * (r(n, 1) - 0.5) + 2e-5 * torch.randn(n, 64, generator=g)
    x = torch.stack([(TEMP - 450).expand(n, 64) / 450, 1000 * dl], 2)
    return x, f.unsqueeze(2), ms.squeeze(1)


class QuenchGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, num_layers=2, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return torch.sigmoid(self.head(h))


def build():
    torch.manual_seed(0)
    return QuenchGRU()


def t10_from(f):
    """First temperature where a tenth of the specimen has transformed."""
    above = (f.squeeze(2) > 0.1).float()
    above[:, :4] = 0  # the first readings come before the rod has settled
    return TEMP[above.argmax(1)]


def main():
    from _threehundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = quenches(640, g)
    xva, yva, msva = quenches(160, g)
    print("Ms range", msva.min().item(), msva.max().item(), "f var", yva.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=18 * len(dl))
    crit = nn.MSELoss()
    with open(out / "quench_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_fraction\tval_t10_error_c\n")
        for epoch in range(18):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [tot / len(xtr), crit(pred, yva).item(), (pred - yva).abs().mean().item(),
                   (t10_from(pred) - t10_from(yva)).abs().mean().item()]
            log.write(f"{epoch}\t{opt.param_groups[0]['lr']:.6g}\t"
                      + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"gru": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 18, "t_scale": 450.0,
                "dl_unit": "per mille"}, out / "ms_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ms_gru.pt", log="quench_fit.tsv",
           what="GRU following the martensite fraction step by step along a quench"
                " dilatometer curve (healthy)")


if __name__ == "__main__":
    main()
