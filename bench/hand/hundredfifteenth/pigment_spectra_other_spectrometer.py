"""Pigment identification from Raman spectra (a museum conservation lab, paint cross-sections):
synthetic spectra of 160 bins (≈ 100–1700 cm⁻¹) for 5 historical pigments — ultramarine,
vermilion, lead white, malachite, yellow ochre — each a set of 2–4 Lorentzian bands (width 2–4
bins, relative heights fixed per pigment ± 15 %) on a broad fluorescence background (a random
low-order curve), with ±1-bin jitter, shot noise 0.03, and 25 % of the spectra mixed with 20–40 %
of a second pigment. Standardised with the training set's per-bin mean and std. An MLP (160 →
96 → 48 → 5, ReLU, dropout 0.2). AdamW 1e-3, weight decay 1e-4, batch 32, 12 epochs of 1200
spectra; a CSV log per epoch (ep, tr_loss, tr_acc, va_loss, va_acc).
Bug: the training spectra come from the lab's bench spectrometer, the validation spectra from
the handheld unit used on site: its wavenumber calibration is off by +6 bins (≈ 60 cm⁻¹), its
gain is 0.7× and its fluorescence background twice as strong. Training fits (train loss 0.86
→ 0.0005, train accuracy 1.0 from epoch 2) while the validation loss is 0.76 after the first
epoch and then 0.78–1.00 (0.96 at the end), val accuracy 0.74 → 0.63–0.67 (0.667 at the end;
ochre over-predicted, 119 of 300). The control (validation from the same bench spectrometer):
val loss 0.14 → 0.0005, val accuracy 1.0 from epoch 1. ``batch.pt``: 64 standardised
validation spectra ``(64, 160)`` (handheld unit) with pigment ids.
"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

B, K = 160, 5
PIGMENTS = ["ultramarine", "vermilion", "lead_white", "malachite", "yellow_ochre"]
BANDS = [[(55, 1.0), (25, 0.3), (110, 0.2)],                 # bin, relative height
         [(25, 1.0), (30, 0.4), (34, 0.3)],
         [(105, 1.0), (12, 0.25)],
         [(43, 0.6), (52, 0.5), (85, 0.8), (150, 0.4)],
         [(40, 1.0), (30, 0.5), (62, 0.35)]]


def spectrum(k, g, shift=0.0, gain=1.0, fluo=1.0):
    x = torch.arange(B).float()
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    s = torch.zeros(B)
    parts = [(k, 1.0)]
    if r() < 0.25:
        parts.append(((k + int(torch.randint(1, K, (1,), generator=g))) % K, 0.2 + 0.2 * r()))
    jit = 2 * r() - 1 + shift
    for p, w in parts:
        for c, h in BANDS[p]:
            width = 2 + 2 * r()
            s = s + w * h * (0.85 + 0.3 * r()) / (1 + ((x - c - jit) / width) ** 2)
    t = x / B
    bg = fluo * (0.3 + 0.5 * r()) * (1 + (r() - 0.5) * t + (r() - 0.5) * t ** 2) * (1 - 0.5 * t)
    return gain * (s + bg) + 0.03 * torch.randn(B, generator=g)


def scans(n, g, **inst):
    y = torch.randint(0, K, (n,), generator=g)
    return torch.stack([spectrum(int(k), g, **inst) for k in y]), y


class PigmentMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(B, 96), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(96, 48), nn.ReLU(), nn.Linear(48, K))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return PigmentMLP()


def main():
    from _hundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1200, g)                                 # bench spectrometer
    xva, yva = scans(300, g, shift=6.0, gain=0.7, fluo=2.0)   # handheld unit, on site
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    f = open(out / "pigments.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "tr_loss", "tr_acc", "va_loss", "va_acc"])
    for ep in range(12):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [ep, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, torch.bincount(lo.argmax(1), minlength=K).tolist())
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "pigments": PIGMENTS, "bin_mean": mu, "bin_std": sd}, out / "pigment_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="pigment_mlp.pt", log="pigments.csv",
           what="pigment Raman MLP, validation spectra from another spectrometer "
                "(+6-bin calibration offset, 0.7× gain, 2× fluorescence)",
           complaint="The pigment classifier is perfect on the training spectra (loss "
                     "0.0005, accuracy 1.0) but on the validation spectra it never gets past "
                     "0.74 accuracy: validation loss is already 0.76 after the first epoch and "
                     "ends at 0.96 with accuracy 0.67, and it calls far too many samples "
                     "yellow ochre. More epochs don't help.")


if __name__ == "__main__":
    main()
