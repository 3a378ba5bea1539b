"""Plain torch: an autoencoder compresses the reflectance spectra a wigmaker measures on each
lot of bought-in human hair (40 bands, 400-790 nm) to a 4-number code, so a client's own hair
can be matched to the nearest lots in the stockroom by code distance. Hair colour follows its
pigments: eumelanin (brown-black, absorbing strongly and more so towards the blue), pheomelanin
(red-blond, absorbing blue-green and little above 600 nm) and the share of grey / white
hairs (flat, bright); cuticle shine adds a flat offset, and the lots' bleach / dye history
is not modelled. Spectra are measured with 1 % noise and standardised per band with the
train mean / std.
Model: encoder 40→32→Tanh→16→Tanh→4, decoder 4→16→Tanh→32→Tanh→40; MSE reconstruction,
Adam, batch 16, 30 epochs, 960 lots, validation on 240.
The bug: ``torch.optim.Adam(model.parameters(), lr=1e-6)``; at that rate the 30 epochs (1800
steps) move each weight by about 2e-3 in all, and the reconstruction barely starts: val MSE
0.962 → 0.952 on standardised bands (about what predicting the mean spectrum gives), val R²
-0.020 → -0.009 (control, ``lr=1e-3``: val MSE 0.167 → 0.0063, R² 0.823 → 0.993).
Log: JSON lines per epoch ``swatch_ae.jsonl`` (``epoch`` / ``recon_mse`` / ``val_recon_mse``
/ ``val_r2``); checkpoint ``swatch_ae.pt`` with keys ``autoencoder`` / ``optim`` /
``epochs_done`` / ``band_nm`` / ``refl_mean`` / ``refl_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BANDS = torch.linspace(400, 790, 40)


def hair_lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wl = BANDS.unsqueeze(0)
    eu = 3.0 * r(n, 1) ** 1.5
    pheo = 1.5 * r(n, 1)
    grey = (r(n, 1) ** 3) * (r(n, 1) < 0.4).float()
    a_eu = torch.exp(-(wl - 400) / 260)
    a_pheo = torch.exp(-(wl - 400) / 90)
    pig = 0.65 * torch.exp(-(eu * a_eu + pheo * a_pheo))
    refl = (1 - grey) * pig + grey * 0.7 + 0.03 + 0.03 * r(n, 1)
    return refl + 0.01 * torch.randn(n, 40, generator=g)


class SwatchAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(40, 32), nn.Tanh(), nn.Linear(32, 16), nn.Tanh(),
                                     nn.Linear(16, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 32), nn.Tanh(),
                                     nn.Linear(32, 40))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return SwatchAE()


def main():
    from _threehundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = hair_lots(960, g), hair_lots(240, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-6)  # Adam, small steps
    with open(out / "swatch_ae.jsonl", "w") as f:
        for epoch in range(30):
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
                rec = model(xva)
            mse = F.mse_loss(rec, xva).item()
            r2 = 1 - ((rec - xva) ** 2).sum().item() / ((xva - xva.mean(0)) ** 2).sum().item()
            line = {"epoch": epoch, "recon_mse": round(tot / len(xtr), 6),
                    "val_recon_mse": round(mse, 6), "val_r2": round(r2, 4)}
            f.write(json.dumps(line) + "\n")
            print(line)
    torch.save({"autoencoder": model.state_dict(), "optim": opt.state_dict(),
                "epochs_done": 30, "band_nm": BANDS, "refl_mean": mu, "refl_std": sd},
               out / "swatch_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_low"],
           checkpoint="swatch_ae.pt", log="swatch_ae.jsonl",
           what="autoencoder compressing hair-lot reflectance spectra for a wigmaker's colour"
                " matching; Adam at lr 1e-6",
           complaint="Autoencoder for hair colour spectra (40 bands, standardised, 4-number code)"
                     " so we can match clients to stock. After 30 epochs the reconstruction error"
                     " has gone from 0.962 to 0.952 and R² is still slightly negative, i.e. it"
                     " reconstructs worse than just using the average spectrum. The loss moves,"
                     " but at this speed it would need thousands of epochs.")


if __name__ == "__main__":
    main()
