"""Plain torch: a residual MLP turns a psychrometer's readings into relative humidity and dew
point for a station's humidity record, in place of the psychrometric tables. Inputs: dry-bulb
temperature (°C, -5 to 40), wet-bulb depression (°C), station pressure (hPa, 850-1040) and the
ventilation speed past the wet bulb (m/s, 0.5 for a still screen to 4 for an Assmann
aspirator). The rule behind the targets is the psychrometer equation,
e = e_w(T_w) - A p (T - T_w), with the Magnus saturation pressure e_w(t) = 6.112
exp(17.62 t / (243.12 + t)) and a psychrometer coefficient A = 6.53e-4 (1 + 0.000944 T_w)
(1 + 0.35 / v) that grows as the ventilation drops; RH = 100 e / e_w(T) and the dew point is
the Magnus inverse of e. Thermometers read to 0.1 °C (noise on both bulbs), so the targets
carry that noise.
Input: (4,) standardised with the train mean / std. Targets: (RH / 100 - 0.5) / 0.25 and
(dew point - 10) / 10. Model: Linear 4->64, 3 residual blocks (Linear 64->64, ReLU,
Linear 64->64, added back, ReLU), Linear 64->2; MSE, Adam 2e-3 with ReduceLROnPlateau on the
val loss (factor 0.5, patience 2), batch 128, 30 epochs, 4096 readings, validation on 1024.
Healthy; numbers in the README.
Log: TSV per epoch ``psy_fit.tsv`` (``ep`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_rh_pct`` / ``val_mae_dewpt_c``); checkpoint ``psy_resmlp.pth`` with keys
``weights`` / ``opt_state`` / ``plateau`` / ``ep`` / ``in_mean`` / ``in_std`` / ``target_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def e_sat(t):
    return 6.112 * torch.exp(17.62 * t / (243.12 + t))


def readings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = -5 + 45 * r(n)
    rh = 0.12 + 0.86 * r(n)
    p = 850 + 190 * r(n)
    v = 0.5 + 3.5 * r(n)
    e = rh * e_sat(t)
    # wet bulb from the psychrometer equation, solved by bisection
    lo, hi = t - 25, t.clone()
    for _ in range(40):
        tw = (lo + hi) / 2
        a = 6.53e-4 * (1 + 0.000944 * tw) * (1 + 0.35 / v)
        too_wet = e_sat(tw) - a * p * (t - tw) > e
        hi = torch.where(too_wet, tw, hi)
        lo = torch.where(too_wet, lo, tw)
    tw = (lo + hi) / 2
    t_read = t + 0.1 * torch.randn(n, generator=g)
    tw_read = tw + 0.1 * torch.randn(n, generator=g)
    ln = torch.log(e / 6.112)
    dew = 243.12 * ln / (17.62 - ln)
    x = torch.stack([t_read, t_read - tw_read, p, v], 1)
    y = torch.stack([(rh - 0.5) / 0.25, (dew - 10) / 10], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.a, self.b = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, h):
        return F.relu(h + self.b(F.relu(self.a(h))))


class PsyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 2)

    def forward(self, x):
        return self.out(self.blocks(F.relu(self.inp(x))))


def build():
    torch.manual_seed(0)
    return PsyNet()


def main():
    from _threehundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = readings(4096, g)
    rva, yva = readings(1024, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target var", ytr.var(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "psy_fit.tsv", "w") as f:
        f.write("ep\tlr\tloss\tval_loss\tval_mae_rh_pct\tval_mae_dewpt_c\n")
        for ep in range(1, 31):
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
                pv = model(xva)
            vl = F.mse_loss(pv, yva).item()
            mae = (pv - yva).abs().mean(0) * torch.tensor([25.0, 10.0])
            lr = opt.param_groups[0]["lr"]
            plateau.step(vl)
            f.write(f"{ep}\t{lr:.3g}\t{tot / len(xtr):.6f}\t{vl:.6f}\t{mae[0]:.4f}\t{mae[1]:.4f}\n")
            print(ep, lr, tot / len(xtr), vl, mae.tolist())
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "ep": 30, "in_mean": mean, "in_std": std,
                "target_scale": {"rh": (0.5, 0.25), "dewpt_c": (10.0, 10.0)}},
               out / "psy_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="psy_resmlp.pth",
           log="psy_fit.tsv",
           what="residual MLP giving relative humidity and dew point from psychrometer readings"
                " (healthy)")


if __name__ == "__main__":
    main()
