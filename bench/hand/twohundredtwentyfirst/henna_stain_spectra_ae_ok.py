"""Plain torch: an autoencoder compresses the reflectance spectra a henna-paste maker takes of
test stains on a skin-coloured card (32 bands, 400-710 nm) so that batches of paste can be
compared by a 4-number code. A stain's spectrum follows from a few causes: the lawsone content
of the leaf powder (deeper absorption around 450-500 nm), the dwell time of the paste (how far
the stain oxidises from orange towards maroon, shifting the absorption edge to the red), the
card's base tone, and the lighting's gain; plus a little sensor noise. MLP encoder
32-64-4 and decoder 4-64-32 (ReLU), MSE, Adam 2e-3 with weight decay 1e-5, batch 64, 15 epochs
of 1536 stains, 256 validation stains (a different paste lot: slightly less sensor noise).
JSON lines per epoch ``lots.jsonl`` (ep, recon, val_recon); checkpoint ``stain_ae.pt`` with keys
state_dict / optimizer / epoch.
Healthy: train reconstruction MSE 0.550 (epoch 0), 0.067, 0.019, 0.0109 (epoch 7), 0.0067
(epoch 14); val 0.142, 0.024, 0.012, 0.0086, 0.0035 -- the val loss sits below the train loss
throughout (the validation lot has less sensor noise, and the train figure is an average over
the epoch). The noise floor is about 0.006 (train) and 0.0027 (val) in these units; a 4-number
code for 4 causes gets close to it."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = torch.linspace(400, 710, 32)


def stains(n, g, noise):
    lawsone = 0.3 + 0.7 * torch.rand(n, 1, generator=g)
    dwell = torch.rand(n, 1, generator=g)
    base = 0.5 + 0.3 * torch.rand(n, 1, generator=g)
    gain = 0.85 + 0.3 * torch.rand(n, 1, generator=g)
    edge = 560 + 60 * dwell
    absorb = lawsone * (0.6 * torch.exp(-((BANDS - 480) / 50) ** 2)
                        + 0.4 * torch.sigmoid((edge - BANDS) / 15))
    refl = gain * base * (1 - 0.8 * absorb) + noise * torch.randn(n, 32, generator=g)
    return (refl - 0.51) / 0.155


class StainAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 4))
        self.dec = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 32))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return StainAE()


def main():
    from _twohundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = stains(1536, g, 0.012), stains(256, g, 0.008)
    print("spectrum mean/std", xtr.mean().item(), xtr.std().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
    f = open(out / "lots.jsonl", "w")
    for ep in range(15):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 64):
            xb = xtr[perm[i:i + 64]]
            loss = F.mse_loss(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            vl = F.mse_loss(model(xva), xva).item()
        rec = {"ep": ep, "recon": round(tot / 1536, 5), "val_recon": round(vl, 5)}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15},
               out / "stain_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="stain_ae.pt", log="lots.jsonl",
           what="MLP autoencoder (4-number code) of henna stain reflectance spectra (healthy)")


if __name__ == "__main__":
    main()
