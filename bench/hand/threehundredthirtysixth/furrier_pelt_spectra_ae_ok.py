"""Plain torch: an autoencoder squeezes the reflectance spectrum of a dressed mink pelt (31
bands, 400-700 nm, from the furrier's handheld spectrophotometer on the back of the pelt) to
a 3-number code, used to match pelts into bundles for one coat. The spectra follow what sets
a fur's colour: eumelanin (brown-black, absorbing strongly at short wavelengths, falling off
towards red) and pheomelanin (red-yellow, absorbing mainly below 550 nm) in the hair, a
Kubelka-Munk-like mixing of the two absorptions into reflectance, a flat gloss term from the
guard hair (0-6 %), a small leather show-through in the red for short-napped pelts, and
instrument noise of 0.4 % reflectance.
Input and target: (31,) reflectance standardised per band with the training mean and spread.
Model: Linear 31→32 + Tanh, Linear 32→16 + Tanh, Linear 16→3 (the code), mirrored decoder;
MSE, Adam 3e-3 with ReduceLROnPlateau (×0.5, patience 3) on the validation loss, batch 40,
40 epochs of 800 pelts, validation on 200.
Healthy; numbers in the README.
Log: TSV per epoch ``bundle_ae.tsv`` (``ep`` / ``lr`` / ``recon_train`` / ``recon_val`` /
``val_rmse_pct``); checkpoint ``pelt_ae.pth`` with keys ``ae_state`` / ``opt_state`` /
``plateau_state`` / ``ep`` / ``band_nm`` / ``refl_mean`` / ``refl_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

NM = torch.linspace(400, 700, 31)


def pelts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    eu = 0.3 + 2.7 * r(n, 1)  # dark ranch mink to pastel
    pheo = 1.5 * r(n, 1) ** 2
    k_eu = eu * torch.exp(-(NM - 400) / 180)
    k_pheo = pheo * torch.exp(-((NM - 420) / 90) ** 2)
    k = k_eu + k_pheo + 0.02
    refl = 1 + k - torch.sqrt(k * k + 2 * k)  # Kubelka-Munk, infinite layer
    gloss = 0.06 * r(n, 1)
    nap = r(n, 1)
    leather = 0.05 * (1 - nap) * torch.sigmoid((NM - 600) / 25)
    refl = refl + gloss + leather + 0.004 * torch.randn(n, 31, generator=g)
    return refl


class PeltAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(31, 32), nn.Tanh(), nn.Linear(32, 16), nn.Tanh(),
                                 nn.Linear(16, 3))
        self.dec = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 32), nn.Tanh(),
                                 nn.Linear(32, 31))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return PeltAE()


def main():
    from _threehundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = pelts(800, g), pelts(200, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("reflectance", rtr.min().item(), rtr.max().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "bundle_ae.tsv", "w") as log:
        log.write("ep\tlr\trecon_train\trecon_val\tval_rmse_pct\n")
        for ep in range(40):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 40):
                xb = xtr[perm[b:b + 40]]
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rec = model(xva)
                val = F.mse_loss(rec, xva).item()
                rmse = 100 * ((rec - xva) * std).pow(2).mean().sqrt().item()
            plateau.step(val)
            log.write(f"{ep}\t{opt.param_groups[0]['lr']:.6g}\t{tot / len(xtr):.6f}\t{val:.6f}"
                      f"\t{rmse:.4f}\n")
            if ep % 5 == 0 or ep == 39:
                print(ep, round(tot / len(xtr), 5), round(val, 5), round(rmse, 4))
    torch.save({"ae_state": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "ep": 40, "band_nm": NM,
                "refl_mean": mean, "refl_std": std}, out / "pelt_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="pelt_ae.pth",
           log="bundle_ae.tsv",
           what="autoencoder coding a mink pelt's reflectance spectrum in 3 numbers for a"
                " furrier's bundle matching (healthy)")


if __name__ == "__main__":
    main()
