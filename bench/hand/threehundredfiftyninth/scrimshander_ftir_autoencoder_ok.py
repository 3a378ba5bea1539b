"""Plain torch: an autoencoder learns what the infrared spectrum of genuine carving stock
looks like, so a scrimshander's supplier can flag blanks whose spectrum it cannot rebuild
(resin, celluloid or vegetable ivory sold as bone or tooth). ATR-FTIR absorbance at 96
wavenumbers from 800 to 1800 cm⁻¹. Genuine stock (sperm-whale tooth, walrus and elephant
ivory, cattle bone) is collagen plus hydroxyapatite: phosphate ν3 at 1030 and ν1 at 960,
carbonate at 872, amide I at 1650, amide II at 1550, CH₂ at 1450, amide III at 1240, the
mineral / collagen ratio set by the material (bone and ivory ~0.6-0.7, dentine a bit
less), band positions shifting a few cm⁻¹, a sloped baseline, ATR contact varying the
overall scale, noise. Fakes (only in a side check): polyester resin (ester C=O at 1725,
C-O at 1260 and 1120), celluloid (nitrate at 1640, 1280, 840) and tagua palm nut
(cellulose / mannan C-O at 1030-1060, no phosphate peak shape).
Input: (96,) absorbance, per-wavenumber standardised. Model: 96→48→12 (Tanh) encoder,
12→48→96 decoder, MSE; AdamW 3e-3 (weight decay 1e-4) with ReduceLROnPlateau (×0.5 after
3 flat epochs), batch 128, 40 epochs, 2400 genuine spectra, validation on 600 genuine and a
side check on 300 fakes.
Healthy; numbers in the README.
Log: JSON lines per epoch ``ae_fit.jsonl`` (``ep`` / ``lr`` / ``recon_train`` /
``recon_val`` / ``recon_fakes``); checkpoint ``tusk_ae.pth`` with keys ``encoder_decoder``
/ ``opt_state`` / ``plateau`` / ``ep`` / ``wavenumbers`` / ``spec_mean`` / ``spec_std``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

WN = torch.linspace(800, 1800, 96)


def band(c, w, h):
    return h * torch.exp(-0.5 * ((WN - c) / w) ** 2)


def spectra(n, g, fake=False):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sh = lambda: 6 * (r(n, 1) - 0.5)  # noqa: E731
    if not fake:
        mineral = 0.5 + 0.25 * r(n, 1)
        x = (band(1030 + sh(), 35, 1.0) + band(960 + sh(), 8, 0.15) + band(872, 6, 0.08)) * mineral
        x = x + (band(1650 + sh(), 25, 0.6) + band(1550 + sh(), 25, 0.35) + band(1450, 15, 0.12)
                 + band(1240, 20, 0.15)) * (1 - mineral)
    else:
        kind = torch.randint(0, 3, (n, 1), generator=g)
        resin = band(1725 + sh(), 15, 0.9) + band(1260, 25, 0.6) + band(1120, 30, 0.5)
        cell = band(1640, 20, 0.6) + band(1280, 15, 0.7) + band(840, 10, 0.4)
        tagua = band(1045 + sh(), 45, 0.9) + band(1160, 20, 0.2) + band(1370, 15, 0.15)
        x = torch.where(kind == 0, resin, torch.where(kind == 1, cell, tagua))
    x = x * (0.7 + 0.6 * r(n, 1)) + 0.05 * r(n, 1) * (WN - 800) / 1000
    return x + 0.01 * torch.randn(n, 96, generator=g)


class SpectrumAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(96, 48), nn.Tanh(), nn.Linear(48, 12), nn.Tanh())
        self.dec = nn.Sequential(nn.Linear(12, 48), nn.Tanh(), nn.Linear(48, 96))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return SpectrumAE()


def main():
    from _threehundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva, xfk = spectra(2400, g), spectra(600, g), spectra(300, g, fake=True)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva, xfk = (xtr - mu) / sd, (xva - mu) / sd, (xfk - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    mse = nn.functional.mse_loss
    with open(out / "ae_fit.jsonl", "w") as f:
        for ep in range(40):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                val, fk = mse(model(xva), xva).item(), mse(model(xfk), xfk).item()
            rec = {"ep": ep, "lr": opt.param_groups[0]["lr"], "recon_train": tot / len(xtr),
                   "recon_val": val, "recon_fakes": fk}
            plateau.step(val)
            f.write(json.dumps(rec) + "\n")
            print({k: round(v, 5) for k, v in rec.items()})
    torch.save({"encoder_decoder": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "ep": 40, "wavenumbers": WN,
                "spec_mean": mu, "spec_std": sd}, out / "tusk_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="tusk_ae.pth",
           log="ae_fit.jsonl",
           what="autoencoder of genuine bone / ivory FTIR spectra for flagging fake carving"
                " stock by reconstruction error (healthy)")


if __name__ == "__main__":
    main()
