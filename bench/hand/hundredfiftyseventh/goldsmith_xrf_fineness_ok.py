"""A goldsmith's assay bench: estimate the gold fineness (‰) of a ring or chain from a 20-s
handheld XRF spectrum, 128 channels over 5–25 keV. An alloy is gold with silver, copper, zinc
and sometimes nickel (white gold); each element shows its lines (Au Lα 9.71 and Lβ 11.44 keV,
Ag Kα 22.16, Cu Kα 8.05, Zn Kα 8.64, Ni Kα 7.48) as Gaussian peaks (detector σ 0.15 keV) with
heights set by its weight fraction — gold's lines saturating (self-absorption) — on a
bremsstrahlung background, Poisson counting noise, and a tube-current gain of 0.8–1.2 that
scales the whole spectrum. Pieces come from the hallmark grades 375, 585, 750, 916 and 999 ±
plating and solder scatter. Spectra are divided by their total counts then log1p'd; the target
is fineness / 1000. A 1-D CNN (Conv1d 1 → 8 → 16, k 7, ReLU, max-pool 2; flatten; dropout 0.3;
Linear 512 → 32 → 1), Adam 1e-3 with StepLR (×0.3 after epoch 10), batch 32, 16 epochs of
1600 spectra; a log of ``key=value`` lines per epoch (``epoch``, ``lr``, ``train_mse``,
``val_mse``, ``val_mae_permille``, ``val_within_10``).
Healthy, with the val loss below the train loss the whole run (dropout 0.3 only in training)
and a plateau: train MSE 0.0645 → 0.0038, val MSE 0.0324, 0.0047, 0.0029, … 0.0015 at epoch 10,
then flat at 0.0014–0.0017 after the lr drop (the val target variance is 0.051, R² ≈ 0.97); val
MAE 159 → 28 ‰ (predicting the mean: 199 ‰), about a quarter of the pieces within 10 ‰ (the
counting noise and the hallmark scatter of ±12 ‰ set the floor)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KEV = torch.linspace(5, 25, 128)
LINES = {"Au": [(9.71, 1.0), (11.44, 0.45)], "Ag": [(22.16, 0.8)], "Cu": [(8.05, 1.0)],
         "Zn": [(8.64, 0.9)], "Ni": [(7.48, 0.9)]}
GRADES = torch.tensor([375.0, 585.0, 750.0, 916.0, 999.0])


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    au = GRADES[torch.randint(0, 5, (n,), generator=g)] + 12 * torch.randn(n, generator=g)
    au = au.clamp(330, 999) / 1000
    rest = 1 - au
    white = (r(n) < 0.25).float()
    mix = torch.distributions.Dirichlet(torch.tensor([2.0, 2.0, 0.6])).sample((n,))
    ag, cu, zn = rest * mix[:, 0], rest * mix[:, 1], rest * mix[:, 2]
    ni = white * rest * 0.3 * r(n)
    cu = cu - ni.clamp(max=cu)
    frac = {"Au": 1 - torch.exp(-2.5 * au), "Ag": ag, "Cu": cu, "Zn": zn, "Ni": ni}
    gain = 0.8 + 0.4 * r(n)
    spec = 30 * torch.exp(-((KEV - 14) / 9) ** 2).expand(n, -1).clone()
    for el, lines in LINES.items():
        for e, h in lines:
            spec = spec + 400 * h * frac[el][:, None] * torch.exp(-((KEV - e) / 0.15) ** 2 / 2)
    counts = torch.poisson(spec * gain[:, None], generator=g)
    x = torch.log1p(counts / counts.sum(1, keepdim=True) * 1000)
    return x[:, None], au


class XRFNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 8, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(8, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(512, 32), nn.ReLU(),
                                  nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.conv(x)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return XRFNet()


def main():
    from _hundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x, y = spectra(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.3)
    log = open(out / "assay_train.log", "w")
    for epoch in range(1, 17):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        for i in range(0, 1600, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vm = F.mse_loss(p, yva).item()
            err = (p - yva).abs() * 1000
        line = (f"epoch={epoch} lr={lr:.2e} train_mse={tot / 1600:.6f} val_mse={vm:.6f} "
                f"val_mae_permille={err.mean().item():.2f} "
                f"val_within_10={(err <= 10).float().mean().item():.3f}")
        log.write(line + "\n")
        print(line)
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "lr_sched": sched.state_dict(), "epoch": 16, "target": "fineness/1000"},
               out / "xrfnet_16.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="xrfnet_16.pt", log="assay_train.log",
           what="goldsmith XRF gold-fineness 1-D CNN regression (healthy)")


if __name__ == "__main__":
    main()
