"""Plain torch: an autoencoder squeezes the reflectance spectrum of a watercress bed, taken
with a handheld spectrometer over the crop at cutting height, into 4 numbers, so the grower
can flag beds whose spectrum it cannot rebuild (yellowing, crook root, silt on the leaves).
40 bands, 460-850 nm every 10 nm. Spectra are made the way a green canopy reflects: low blue,
a green peak near 550 nm, the chlorophyll well at 670 nm whose depth grows with leaf
chlorophyll, a red edge whose position (700-725 nm) moves up with chlorophyll and whose
NIR plateau rises with leaf cover; a wet-leaf sheen adds a flat offset; the sun and the
angle scale the whole curve; silt on the leaves flattens it; instrument noise 0.004.
Input and target: reflectance × 10 minus the train mean spectrum (40,). Model: 40→32→16→4
(ReLU between) and 4→16→32→40; MSE, Adam 2e-3, batch 64, 30 epochs, 1500 spectra,
validation on 400.
The bug: the weights are set in ``build()`` with ``nn.init.zeros_(m.weight)`` for every
Linear (meant to give the same start on every bench, where the seed was not trusted), so
every ReLU sees zero, no gradient reaches any weight, and only the last bias moves: the net
returns the mean spectrum for every bed: train MSE 0.2777 → 0.2776, val MSE 0.2862 → 0.2863 (the val per-band variance is
0.2862; share explained 0.000 every epoch) (control, ``nn.init.kaiming_uniform_(m.weight,
nonlinearity="relu")``: val MSE 0.209 → 0.00317, share explained 0.269 → 0.989).
Log: CSV per epoch ``ae_curve.csv`` (``epoch`` / ``recon_mse`` / ``val_recon_mse`` /
``val_explained``); checkpoint ``cress_ae.pt`` with keys ``ae_state`` / ``adam_state`` /
``epochs`` / ``bands_nm`` / ``mean_spectrum`` / ``scale``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

BANDS = torch.arange(460, 851, 10).float()


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wl = BANDS
    chl = 0.3 + 0.7 * r(n, 1)  # relative leaf chlorophyll
    cover = 0.5 + 0.5 * r(n, 1)
    sheen = 0.03 * r(n, 1)
    sun = 0.8 + 0.4 * r(n, 1)
    silt = (r(n, 1) < 0.15) * 0.5 * r(n, 1)
    green = 0.05 + 0.09 * (1.3 - chl) * torch.exp(-((wl - 550) / 35) ** 2)
    well = 0.04 * chl * torch.exp(-((wl - 670) / 20) ** 2)
    edge = 700 + 25 * chl
    nir = (0.25 + 0.3 * cover) / (1 + torch.exp(-(wl - edge) / 12))
    refl = (0.04 + green - well + nir) * sun + sheen
    refl = (1 - silt) * refl + silt * (0.12 + 0.0002 * (wl - 460))
    return refl + 0.004 * torch.randn(n, len(wl), generator=g)


class SpectrumAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(40, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                                     nn.Linear(16, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 32), nn.ReLU(),
                                     nn.Linear(32, 40))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    model = SpectrumAE()
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)  # same start on every bench, whatever the seed
            nn.init.zeros_(m.bias)
    return model


def main():
    from _threehundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = spectra(1500, g), spectra(400, g)
    mean = (10 * rtr).mean(0)
    xtr, xva = 10 * rtr - mean, 10 * rva - mean
    var = xva.pow(2).mean().item()
    print("val per-band variance", var)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "ae_curve.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "recon_mse", "val_recon_mse", "val_explained"])
        for epoch in range(30):
            model.train()
            tot, cnt = 0.0, 0
            for (xb,) in dl:
                loss = ((model(xb) - xb) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            model.eval()
            with torch.no_grad():
                vm = ((model(xva) - xva) ** 2).mean().item()
            w.writerow([epoch, f"{tot / cnt:.6f}", f"{vm:.6f}", f"{1 - vm / var:.4f}"])
            print(epoch, tot / cnt, vm, 1 - vm / var)
    torch.save({"ae_state": model.state_dict(), "adam_state": opt.state_dict(), "epochs": 30,
                "bands_nm": BANDS, "mean_spectrum": mean, "scale": 10.0}, out / "cress_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["zero_weight_init"],
           checkpoint="cress_ae.pt", log="ae_curve.csv",
           what="autoencoder (40→4→40, ReLU) of watercress canopy reflectance spectra;"
                " every Linear weight initialised to zero",
           complaint="The autoencoder for our watercress canopy spectra does not learn at all."
                     " Reconstruction MSE sits at 0.278 on train and 0.286 on validation from"
                     " the first epoch to the thirtieth, and every reconstruction comes out as"
                     " the same curve whichever bed I feed in, yellow or healthy. The"
                     " reconstruction error is useless for flagging beds like this.")


if __name__ == "__main__":
    main()
