"""Plain torch: an autoencoder learns what the tap ring of a sound slate block sounds like,
so the splitter can set aside blocks whose ring it cannot reconstruct (reconstruction error
as the flaw score). A sound block rings at a fundamental set by its thickness and bed size
(1.2-3.0 kHz) with plate overtones at 2.76× and 5.4× whose heights depend on where the
hammer struck, and a damping set by the quarry bed; spectra are 64 log-spaced bands
(0.5-10 kHz), dB / 20 around the block's mean, with 1 dB of microphone noise. Trained on
1800 sound blocks, validated on 450 sound blocks and, as a check, on 150 cracked ones (split
fundamental, higher damping).
Model: encoder Linear 64→48, Tanh, Linear 48→8; decoder Linear 8→48, Tanh, Linear 48→64;
MSE, Adam 2e-3 with ExponentialLR (0.9 per epoch), batch 60, 20 epochs.
Healthy; numbers in the README.
Log: CSV per epoch ``ae_epochs.csv`` (``epoch`` / ``lr`` / ``recon_train`` / ``recon_val``
/ ``recon_val_cracked``); checkpoint ``ring_ae.pt`` with keys ``encoder`` / ``decoder`` /
``adam`` / ``sched`` / ``epoch`` / ``bands_hz`` / ``db_scale``."""
import csv
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

HZ = torch.logspace(math.log10(500), 4, 64)


def rings(n, g, cracked=False):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    f0 = 1200 + 1800 * r(n, 1)
    damp = (0.025 + 0.015 * r(n, 1)) * (1.8 if cracked else 1.0)
    a2, a3 = 0.3 + 0.5 * r(n, 1), 0.15 + 0.35 * r(n, 1)

    def peak(fc, a):
        return a * torch.exp(-0.5 * ((HZ - fc) / (damp * fc)) ** 2)

    split = 0.03 if cracked else 0.0
    s = (peak(f0 * (1 - split), 1.0) + peak(f0 * (1 + split), 0.8 if cracked else 0.0)
         + peak(2.76 * f0, a2) + peak(5.4 * f0, a3) + 0.02)
    db = 20 * torch.log10(s) + torch.randn(n, 64, generator=g)
    return (db - db.mean(1, keepdim=True)) / 20


class RingAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 48), nn.Tanh(), nn.Linear(48, 8))
        self.decoder = nn.Sequential(nn.Linear(8, 48), nn.Tanh(), nn.Linear(48, 64))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return RingAE()


def main():
    from _fourhundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva, xcr = rings(1800, g), rings(450, g), rings(150, g, cracked=True)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=60, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    mse = nn.functional.mse_loss
    with open(out / "ae_epochs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "lr", "recon_train", "recon_val", "recon_val_cracked"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                rv, rc = mse(model(xva), xva).item(), mse(model(xcr), xcr).item()
            w.writerow([epoch, f"{lr:.6g}", f"{tot / len(xtr):.6f}", f"{rv:.6f}", f"{rc:.6f}"])
            print(epoch, round(tot / len(xtr), 5), round(rv, 5), round(rc, 5))
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "adam": opt.state_dict(), "sched": sched.state_dict(), "epoch": 20,
                "bands_hz": HZ, "db_scale": 20.0}, out / "ring_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="ring_ae.pt",
           log="ae_epochs.csv",
           what="autoencoder of sound slate blocks' tap spectra, reconstruction error as a"
                " flaw score (healthy)")


if __name__ == "__main__":
    main()
