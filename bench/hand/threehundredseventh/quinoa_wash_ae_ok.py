"""Plain torch: an autoencoder compresses the near-infrared reflectance spectrum of washed
quinoa seed (64 bands, 1100-2400 nm) taken on the belt after the scrubber, so the
processor can watch the 4-number code for lots whose saponin was not washed off (the
bitter coating) and for drift of the spectrometer. Each spectrum: a baseline tilt, water
bands at 1450 and 1940 nm (moisture 9-14 %), protein / starch bands near 1500, 2050 and
2180 nm, a saponin band near 1730 and 2310 nm (residue 0-0.3 %), scatter from seed size
(multiplicative), and detector noise. Input: (64,) absorbance standardised per band with
the train mean / std. Model: 64→48→ELU→16→ELU→4 encoder, mirror decoder; MSE, AdamW 3e-3
(weight decay 1e-4) with ReduceLROnPlateau (factor 0.5, patience 2) on val MSE, batch 64,
16 epochs, 1600 spectra, validation on 400.
Healthy; numbers in the README.
Log: TSV per epoch ``wash_ae.tsv`` (``epoch`` / ``lr`` / ``recon_train`` / ``recon_val`` /
``recon_val_saponin_lots``); checkpoint ``wash_ae.pt`` with keys ``ae_state`` /
``opt_state`` / ``plateau_state`` / ``epochs`` / ``band_mean`` / ``band_std`` / ``nm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NM = torch.linspace(1100, 2400, 64)


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    band = lambda c, w: torch.exp(-((NM - c) / w) ** 2)  # noqa: E731
    moist = 9 + 5 * r(n, 1)
    protein = 12 + 6 * r(n, 1)
    sap = 0.3 * r(n, 1) ** 2
    a = (0.2 + 0.1 * r(n, 1) + 0.05 * r(n, 1) * (NM - 1100) / 1300
         + 0.02 * moist * (band(1450, 40) + 1.5 * band(1940, 50))
         + 0.01 * protein * (band(1500, 60) + band(2050, 50) + 0.7 * band(2180, 40))
         + 0.4 * sap * (band(1730, 30) + band(2310, 35)))
    a = a * (0.9 + 0.2 * r(n, 1)) + 0.002 * torch.randn(n, 64, generator=g)
    return a, sap.squeeze(1)


class WashAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 48), nn.ELU(), nn.Linear(48, 16), nn.ELU(),
                                 nn.Linear(16, 4))
        self.dec = nn.Sequential(nn.Linear(4, 16), nn.ELU(), nn.Linear(16, 48), nn.ELU(),
                                 nn.Linear(48, 64))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return WashAE()


def main():
    from _threehundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    atr, _ = spectra(1600, g)
    ava, sva = spectra(400, g)
    mu, sd = atr.mean(0), atr.std(0)
    xtr, xva = (atr - mu) / sd, (ava - mu) / sd
    bitter = sva > 0.1
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "wash_ae.tsv", "w") as log:
        log.write("epoch\tlr\trecon_train\trecon_val\trecon_val_saponin_lots\n")
        for ep in range(16):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean(1)
            plateau.step(err.mean().item())
            row = [ep, opt.param_groups[0]["lr"], tot / len(xtr), err.mean().item(),
                   err[bitter].mean().item()]
            log.write("\t".join(f"{v:.6g}" for v in row) + "\n")
            print(row)
    torch.save({"ae_state": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "epochs": 16, "band_mean": mu,
                "band_std": sd, "nm": NM}, out / "wash_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="wash_ae.pt", log="wash_ae.tsv",
           what="MLP autoencoder compressing the NIR spectrum of washed quinoa seed (healthy)")


if __name__ == "__main__":
    main()
