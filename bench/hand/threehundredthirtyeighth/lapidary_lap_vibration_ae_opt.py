"""Plain torch: an autoencoder learns what a healthy lapidary flat lap sounds like, so the
workshop can flag a cabochon that has cracked or a lap that has loaded up with swarf from
the reconstruction error of a 1 s vibration spectrum (accelerometer on the splash pan,
64 bins of 0-200 Hz, log power). A healthy run: the spindle's line at the lap speed
(300-1200 rpm, 5-20 Hz) and its 2nd-4th harmonics (weaker as they go), a grinding hiss whose
level and slope follow the grit (80 grit loud and low-pitched, 3000 grit quiet), the motor's
100 Hz hum, and the sensor's floor. Faults (validation only, about 20 %): a cracked stone taps
once a turn (a comb of many harmonics and a lifted floor) or a loaded lap squeals (a narrow
line at 120-180 Hz).
Input: (64,) log power standardised with the train mean / std. Model: encoder
64→48→ELU→8, decoder 8→48→ELU→64; MSE reconstruction, Adam 2e-3, batch 128, 25 epochs,
2000 healthy spectra, validation on 500 (385 healthy, 115 faults).
The bug: the optimizer is built over ``model.encoder.parameters()`` only, so the decoder
keeps its initial weights; the encoder learns what it can through a random decoder:
train MSE 0.97 → 0.89, val healthy MSE 0.954 → 0.907, fault MSE 2.04 → 1.89, fault-flag
AUC 0.873 → 0.865 (control, ``model.parameters()``: val healthy MSE 0.60 → 0.148, fault
MSE 1.13 → 0.60, AUC 0.870 → 0.9995).
Log: JSON lines per epoch ``lap_ae.jsonl`` (``epoch`` / ``train_recon`` / ``val_recon_ok`` /
``val_recon_fault`` / ``val_auc``); checkpoint ``lap_ae_e25.pt`` with keys ``ae`` / ``adam``
/ ``epoch`` / ``mean`` / ``std`` / ``hz``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HZ = torch.linspace(0, 200, 64)


def spectra(n, g, fault_share=0.0):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    line = lambda f, w, a: a * torch.exp(-0.5 * ((HZ - f) / w) ** 2)  # noqa: E731
    f0 = 5 + 15 * r(n, 1)
    p = sum(line(k * f0, 2.0, 3.0 / k) for k in range(1, 5))
    grit = r(n, 1)  # 0 coarse ... 1 fine
    p = p + (2.5 - 2.0 * grit) * torch.exp(-HZ / (40 + 80 * grit))
    p = p + line(100.0, 1.5, 1.0 + 0.5 * r(n, 1))
    fault = (r(n, 1) < fault_share).float()
    crack = fault * (r(n, 1) < 0.5).float()
    squeal = fault - crack
    p = p + crack * (sum(line(k * f0, 2.0, 0.25) for k in range(5, 12)) + 0.1)
    p = p + squeal * line(120 + 60 * r(n, 1), 2.0, 0.6)
    power = torch.log(p + 0.05) + 0.1 * torch.randn(n, 64, generator=g)
    return power, fault.squeeze(1)


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return (pos.unsqueeze(1) > neg.unsqueeze(0)).float().mean().item()


class LapAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 48), nn.ELU(), nn.Linear(48, 8))
        self.decoder = nn.Sequential(nn.Linear(8, 48), nn.ELU(), nn.Linear(48, 64))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return LapAE()


def main():
    from _threehundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr, _ = spectra(2000, g)
    pva, fva = spectra(500, g, fault_share=0.2)
    mean, std = ptr.mean(0), ptr.std(0)
    xtr, xva = (ptr - mean) / std, (pva - mean) / std
    print("val faults", int(fva.sum()))
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.encoder.parameters(), lr=2e-3)  # Adam for the autoencoder
    with open(out / "lap_ae.jsonl", "w") as log:
        for epoch in range(25):
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
                err = ((model(xva) - xva) ** 2).mean(1)
            rec = {"epoch": epoch, "train_recon": round(tot / len(xtr), 6),
                   "val_recon_ok": round(err[fva == 0].mean().item(), 6),
                   "val_recon_fault": round(err[fva == 1].mean().item(), 6),
                   "val_auc": round(auc(err, fva), 6)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"ae": model.state_dict(), "adam": opt.state_dict(), "epoch": 25, "mean": mean,
                "std": std, "hz": HZ}, out / "lap_ae_e25.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="lap_ae_e25.pt", log="lap_ae.jsonl",
           what="autoencoder of a lapidary lap's vibration spectrum for fault flagging; the"
                " optimizer holds only the encoder's parameters",
           complaint="Autoencoder on the lap's vibration spectra (standardised): the reconstruction"
                     " error drops a little in the first couple of epochs and then sits at about"
                     " 0.9, hardly better than outputting zeros, for all 25 epochs. Using the"
                     " reconstruction error as a fault score gives an AUC of 0.87 that does not"
                     " improve with training at all.")


if __name__ == "__main__":
    main()
