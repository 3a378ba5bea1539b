"""Plain torch: a denoising autoencoder compresses the near-infrared spectra a soap works
takes of each cured bar (64 bands, 1100-2500 nm, handheld NIR reader at the packing
bench) to 6 numbers, which the quality lead then charts and watches for drift in the
recipe or the cure. A bar's spectrum is a Beer-Lambert mixture of its parts, each a sum of
Gaussian bands: fatty-acid salts (C-H overtones near 1210, 1730, 1765, 2310 and 2350 nm),
water (O-H at 1450 and 1940 nm; 8-16 %, falling with the weeks of cure), glycerol (1460,
2080 nm; 4-8 %), unsaponified oil from the superfat (ester bands at 1720 and 2140 nm;
2-8 %) and fragrance oil (1680, 2200 nm; 0-3 %), plus a scatter baseline (offset and slope
set by the bar's surface) and detector noise.
Input: (64,) absorbance, centred and scaled by the training spectra's band means / overall
std. Model: Linear 64→32 + ReLU, Linear 32→6 (the code), Linear 6→32 + ReLU, Linear 32→64;
MSE reconstruction of the clean spectrum from one with extra reading noise (0.15) added
during training only; RMSprop 1e-3, batch 40, 30 epochs, 1600 bars, validation on 400 (no
added noise).
Healthy; numbers in the README.
Log: JSON lines per epoch ``nir_ae.jsonl`` (``epoch`` / ``recon_mse`` / ``val_recon_mse`` /
``val_worst_band_mse``); checkpoint ``nir_ae.ckpt`` with keys ``ae_weights`` / ``rms_state``
/ ``epochs_done`` / ``band_mean`` / ``band_scale`` / ``wavelengths_nm``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

NM = torch.linspace(1100, 2500, 64)


def band(centre, width):
    return torch.exp(-0.5 * ((NM - centre) / width) ** 2)


PARTS = torch.stack([
    band(1210, 30) + 1.2 * band(1730, 25) + band(1765, 25) + 1.5 * band(2310, 30)
    + 1.3 * band(2350, 30),  # soap (fatty-acid salts)
    band(1450, 60) + 1.8 * band(1940, 55),  # water
    0.8 * band(1460, 70) + band(2080, 60),  # glycerol
    band(1720, 20) + 0.9 * band(2140, 25),  # unsaponified oil
    band(1680, 20) + 0.7 * band(2200, 30),  # fragrance
])


def bars(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    water = 0.08 + 0.08 * r(n, 1)
    glyc = 0.04 + 0.04 * r(n, 1)
    oil = 0.02 + 0.06 * r(n, 1)
    frag = 0.03 * r(n, 1)
    soap = 1 - water - glyc - oil - frag
    conc = torch.cat([soap, 4 * water, 3 * glyc, 5 * oil, 6 * frag], 1)
    spec = conc @ PARTS
    spec = spec + 0.1 * r(n, 1) + 0.08 * r(n, 1) * (NM - 1800) / 700
    return spec + 0.004 * torch.randn(n, 64, generator=g)


class SpecAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 64))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return SpecAE()


def main():
    from _threehundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw_tr, raw_va = bars(1600, g), bars(400, g)
    mean, scale = raw_tr.mean(0), raw_tr.std()
    xtr, xva = (raw_tr - mean) / scale, (raw_va - mean) / scale
    print("spectrum variance", xva.var(0).mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "nir_ae.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            tot, n = 0.0, 0
            for (xb,) in dl:
                noisy = xb + 0.15 * torch.randn_like(xb)  # reading noise, training only
                loss = nn.functional.mse_loss(model(noisy), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            model.eval()
            with torch.no_grad():
                err = (model(xva) - xva) ** 2
            row = {"epoch": epoch, "recon_mse": round(tot / n, 6),
                   "val_recon_mse": round(err.mean().item(), 6),
                   "val_worst_band_mse": round(err.mean(0).max().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"ae_weights": model.state_dict(), "rms_state": opt.state_dict(),
                "epochs_done": 30, "band_mean": mean, "band_scale": scale,
                "wavelengths_nm": NM}, out / "nir_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="nir_ae.ckpt", log="nir_ae.jsonl",
           what="denoising autoencoder compressing soap bars' NIR spectra to 6 numbers for"
                " recipe / cure drift charts (healthy)")


if __name__ == "__main__":
    main()
