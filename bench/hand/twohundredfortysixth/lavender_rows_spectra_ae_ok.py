"""Plain torch: an autoencoder compresses 48-band canopy reflectance spectra that a handheld
spectrometer records walking the rows of lavender fields (visible through near infrared).
Each spectrum is built from 4 hidden plant traits (flower cover, chlorophyll, leaf water, soil
showing through) mixing smooth end-member curves, plus a red-edge shift and sensor noise.
MLP 48-32-6-32-48 with GELU, MSE; AdamW 2e-3 (weight decay 1e-4), batch 64, 30 epochs of 1536
spectra, shuffled. Log: JSON lines, one per epoch (``epoch``, ``recon_train``, ``recon_val``).
Healthy: reconstruction MSE train 0.231 / val 0.115 after epoch 1, 0.0126 / 0.0116 at 5,
0.0038 / 0.0039 at 10, 0.00256 / 0.00263 at 30, at the sensor-noise floor (0.0025 in the
standardised units); val loss is below train loss in the first epochs."""
import json
import math
import sys

import torch
import torch.nn as nn

B = 48


def spectra(n, g):
    w = torch.linspace(0, 1, B)
    ends = torch.stack([0.3 + 0.5 * torch.exp(-((w - 0.25) / 0.08) ** 2),  # purple flowers
                        0.1 + 0.6 * torch.sigmoid((w - 0.55) / 0.03),      # green leaf
                        0.5 - 0.3 * torch.exp(-((w - 0.85) / 0.06) ** 2),   # water band
                        0.2 + 0.3 * w])                                      # bare soil
    traits = torch.distributions.Dirichlet(torch.ones(4)).sample((n,))
    shift = 0.02 * torch.randn(n, 1, generator=g)
    x = traits @ ends + 0.1 * torch.sigmoid((w - 0.55 - shift) / 0.03) * traits[:, 1:2]
    x = x + 0.01 * torch.randn(n, B, generator=g)
    return (x - 0.4) / 0.2


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(B, 32), nn.GELU(), nn.Linear(32, 6), nn.GELU(),
                         nn.Linear(6, 32), nn.GELU(), nn.Linear(32, B))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(1)  # the Dirichlet draws
    xtr, xva = spectra(1536, g), spectra(384, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    mse = nn.MSELoss()
    with open(out / "recon.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(1536, generator=g)
            tot = 0.0
            for i in range(0, 1536, 64):
                xb = xtr[perm[i:i + 64]]
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                vl = mse(model(xva), xva).item()
            rec = {"epoch": epoch + 1, "recon_train": round(tot / 1536, 5),
                   "recon_val": round(vl, 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    assert math.isfinite(vl)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30},
               out / "spectra_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="spectra_ae.pt",
           log="recon.jsonl",
           what="MLP autoencoder on lavender-field canopy reflectance spectra (healthy)")


if __name__ == "__main__":
    main()
