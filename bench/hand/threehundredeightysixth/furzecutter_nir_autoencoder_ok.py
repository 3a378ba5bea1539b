"""Plain torch: a denoising autoencoder squeezes the near-infrared spectrum of a cut furze
(gorse) bundle, read by a handheld NIR meter at the rick, into 4 numbers, so the
furze-cutter can sort faggots by how dry and woody they are without drying samples in an
oven. Spectrum: 48 bands from 950 to 1650 nm (reflectance): a scattering level and slope
set by how packed the spines are, water absorption bands at 970, 1190 and 1450 nm whose
depth follows the moisture (18-65 % wet basis), a lignin / cellulose band near 1210 and
1490 nm set by the woodiness (stem age), and detector noise.
Input and target: (48,) reflectance minus the train mean spectrum; during training a fresh
Gaussian noise of 0.01 is added to the input only (the target stays clean).
Model: 48→32→SiLU→4 (latent) → 32→SiLU→48; MSE, Adam 2e-3 with ExponentialLR 0.9, batch
32, 20 epochs, 1500 spectra, validation on 400 (clean inputs).
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``nir_ae.jsonl`` (``epoch`` / ``lr`` / ``train_recon``
/ ``val_recon`` / ``val_recon_1450nm``); checkpoint ``furze_nir_ae.tar`` with keys
``autoencoder`` / ``adam`` / ``decay`` / ``epoch`` / ``bands_nm`` / ``mean_spectrum``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NM = torch.linspace(950, 1650, 48)


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    moist = 0.18 + 0.47 * r(n, 1)
    wood = r(n, 1)
    level = 0.35 + 0.2 * r(n, 1)
    slope = (r(n, 1) - 0.5) * 0.1
    band = lambda c, w: torch.exp(-((NM - c) / w) ** 2)  # noqa: E731
    water = 0.08 * band(970, 25) + 0.18 * band(1190, 35) + 0.5 * band(1450, 60)
    lig = 0.06 * band(1210, 30) + 0.08 * band(1490, 40)
    refl = level + slope * (NM - 1300) / 350 - moist * water - (0.3 + 0.7 * wood) * lig
    return refl + 0.004 * torch.randn(n, 48, generator=g)


class NirAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(48, 32), nn.SiLU(), nn.Linear(32, 4))
        self.dec = nn.Sequential(nn.Linear(4, 32), nn.SiLU(), nn.Linear(32, 48))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return NirAE()


def main():
    from _threehundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    str_, sva = spectra(1500, g), spectra(400, g)
    mean = str_.mean(0)
    xtr, xva = (str_ - mean) * 10, (sva - mean) * 10
    print("per-band variance", xtr.var(0).mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    decay = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    w1450 = (NM - 1450).abs() < 60
    with open(out / "nir_ae.jsonl", "w") as log:
        for epoch in range(20):
            lr = opt.param_groups[0]["lr"]
            model.train()
            tot = 0.0
            for (xb,) in dl:
                noisy = xb + 0.1 * torch.randn(xb.shape)  # 0.01 reflectance, meter noise
                loss = F.mse_loss(model(noisy), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            decay.step()
            model.eval()
            with torch.no_grad():
                rec = model(xva)
            row = {"epoch": epoch, "lr": lr, "train_recon": tot / len(xtr),
                   "val_recon": F.mse_loss(rec, xva).item(),
                   "val_recon_1450nm": F.mse_loss(rec[:, w1450], xva[:, w1450]).item()}
            log.write(json.dumps(row) + "\n")
            print({k: round(v, 5) for k, v in row.items()})
    torch.save({"autoencoder": model.state_dict(), "adam": opt.state_dict(),
                "decay": decay.state_dict(), "epoch": 20, "bands_nm": NM,
                "mean_spectrum": mean}, out / "furze_nir_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="furze_nir_ae.tar", log="nir_ae.jsonl",
           what="denoising autoencoder compressing the NIR spectrum of a cut furze bundle"
                " to 4 latents (healthy)")


if __name__ == "__main__":
    main()
