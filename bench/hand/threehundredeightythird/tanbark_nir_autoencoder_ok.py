"""Plain torch: an autoencoder compresses the near-infrared spectra a tannery's bark yard
takes of every incoming lot of ground tanbark (1100-2500 nm, 140 points at 10 nm,
absorbance log 1/R), so that the 12-number code can feed the yard's tannin calibration and
odd lots (wet, mouldy, mixed with sawdust) stand out by their reconstruction error. Each
spectrum is Beer-Lambert-like: the lot's shares of condensed tannin (6-16 %), water
(8-40 %), cellulose, lignin and bark cork (suberin) times each one's absorption bands
(water 1450 / 1940 nm, O-H and C-H overtones of cellulose 1490 / 2100 / 2340 nm, phenolic
bands of tannin and lignin near 1670 / 2140 / 2270 nm, suberin's C-H at 1725 / 2310 /
2350 nm), plus multiplicative scatter from the grind (gain and a sloping offset) and
detector noise. Input: (140,) absorbance standardised per wavelength with the train mean /
std. Model: 140→64→ELU→12 (code), 12→64→ELU→140; MSE, Adam 2e-3 with ReduceLROnPlateau
(×0.5 after 3 flat epochs on the validation MSE), batch 48, 40 epochs, 2400 lots,
validation on 480.
Healthy; numbers in the README.
Log: JSON lines per epoch ``nir_ae.jsonl`` (``epoch`` / ``lr`` / ``rec_mse`` /
``val_rec_mse`` / ``val_worst_lot_mse``); checkpoint ``bark_nir_ae.pt`` with keys
``encoder`` / ``decoder`` / ``opt`` / ``plateau`` / ``epoch`` / ``wavelength_nm`` /
``abs_mean`` / ``abs_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

WL = 1100 + 10 * torch.arange(140).float()
BANDS = {  # (centre nm, width nm, strength) per constituent
    "tannin": [(1670, 40, 0.5), (2140, 50, 0.6), (2270, 45, 0.4), (1420, 60, 0.25)],
    "water": [(1450, 55, 1.0), (1940, 60, 1.6)],
    "cellulose": [(1490, 50, 0.3), (1780, 40, 0.2), (2100, 60, 0.55), (2340, 40, 0.45)],
    "lignin": [(1680, 45, 0.35), (2140, 50, 0.3), (2270, 40, 0.35)],
    "suberin": [(1725, 30, 0.5), (2310, 25, 0.6), (2350, 25, 0.45)],
}


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    share = {"tannin": 0.06 + 0.10 * r(n, 1), "water": 0.08 + 0.32 * r(n, 1),
             "suberin": 0.03 + 0.12 * r(n, 1), "lignin": 0.15 + 0.10 * r(n, 1)}
    share["cellulose"] = 1 - sum(share.values())
    absorb = torch.zeros(n, len(WL))
    for name, bands in BANDS.items():
        for c, w, s in bands:
            absorb = absorb + share[name] * s * torch.exp(-0.5 * ((WL - c) / w) ** 2)
    gain = 0.8 + 0.4 * r(n, 1)
    offset = 0.1 + 0.2 * r(n, 1) + (0.05 * r(n, 1)) * (WL - 1100) / 1400
    return gain * absorb + offset + 0.004 * torch.randn(n, len(WL), generator=g)


class BarkAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(140, 64), nn.ELU(), nn.Linear(64, 12))
        self.decoder = nn.Sequential(nn.Linear(12, 64), nn.ELU(), nn.Linear(64, 140))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return BarkAE()


def main():
    from _threehundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    atr, ava = lots(2400, g), lots(480, g)
    mu, sd = atr.mean(0), atr.std(0)
    xtr, xva = (atr - mu) / sd, (ava - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "nir_ae.jsonl", "w") as f:
        for epoch in range(40):
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
                per_lot = ((model(xva) - xva) ** 2).mean(1)
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"], "rec_mse": round(tot / len(xtr), 7),
                   "val_rec_mse": round(per_lot.mean().item(), 7),
                   "val_worst_lot_mse": round(per_lot.max().item(), 7)}
            plateau.step(per_lot.mean().item())
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "opt": opt.state_dict(), "plateau": plateau.state_dict(), "epoch": 40,
                "wavelength_nm": WL, "abs_mean": mu, "abs_std": sd}, out / "bark_nir_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="bark_nir_ae.pt", log="nir_ae.jsonl",
           what="autoencoder (12-number code) of NIR spectra of ground tanbark lots (healthy)")


if __name__ == "__main__":
    main()
