"""Plain torch: an autoencoder learns the shape of sewing needles from a laser micrometer
scan, so a needlemaker can flag needles whose taper or point came out wrong (a large
reconstruction error means a shape the press should not make). Each scan is 48 diameters
(mm) from the eye end to the point: the shank diameter d0 (0.5-1.2 mm), a slight bulge where
the eye is stamped (1.05-1.15 × d0 over the first 8 %), the taper starting at s (0.6-0.8 of
the length) and falling as d0 × ((1 - x) / (1 - s))^p to the point (p 0.6-1.6, blunt to
sharp, tip at least 0.02 mm), and ± 5 µm micrometer noise.
The encoder is frozen for the first 3 epochs so the decoder can settle on a fixed code, then
unfrozen. The bug: the optimizer is built from the parameters that need a gradient at that
moment, when only the decoder did, so when the encoder is unfrozen at epoch 3 its parameters
get gradients but no optimizer steps them, and the code stays a random projection of the
scan: val MSE 0.0329 → 0.0040, max error 310 µm (control, ``model.parameters()``: val MSE
0.0329 → 0.00059, max error 181 µm).
Input: (48,) diameters in mm as read. Model: 48→64→ReLU→32→ReLU→4 code, 4→32→ReLU→64→
ReLU→48; MSE, Adam 3e-3 with CosineAnnealingLR over 40 epochs, batch 32, 2000 scans,
validation on 500.
Log: JSON lines per epoch ``taper_ae.jsonl`` (``epoch`` / ``recon_mse`` / ``val_recon_mse`` /
``val_max_err_um``); checkpoint ``taper_ae.ckpt`` with keys ``ae`` / ``optim`` / ``cosine`` /
``epoch`` / ``code_dim`` / ``units``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

P = 48
CODE = 4
EPOCHS = 40
WARM = 3


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    x = torch.linspace(0, 1, P)
    d0 = 0.5 + 0.7 * r(n, 1)
    s = 0.6 + 0.2 * r(n, 1)
    p = 0.6 + 1.0 * r(n, 1)
    eye = 1.05 + 0.1 * r(n, 1)
    taper = ((1 - x) / (1 - s)).clamp(0, 1) ** p
    d = d0 * torch.where(x < 0.08, eye, taper)
    d = d.clamp_min(0.02)
    return d + 0.005 * torch.randn(n, P, generator=g)


class TaperAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(P, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                     nn.Linear(32, CODE))
        self.decoder = nn.Sequential(nn.Linear(CODE, 32), nn.ReLU(), nn.Linear(32, 64),
                                     nn.ReLU(), nn.Linear(64, P))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return TaperAE()


def main():
    from _threehundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = scans(2000, g), scans(500, g)
    print("diameter range", xtr.min().item(), xtr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    for p in model.encoder.parameters():  # first let the decoder learn from a fixed code
        p.requires_grad = False
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
    with open(out / "taper_ae.jsonl", "w") as log:
        for epoch in range(EPOCHS):
            if epoch == WARM:  # decoder warmed up: train the whole autoencoder
                for p in model.encoder.parameters():
                    p.requires_grad = True
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            model.eval()
            with torch.no_grad():
                rec = model(xva)
            rec_va = F.mse_loss(rec, xva).item()
            row = {"epoch": epoch, "recon_mse": round(tot / len(xtr), 7),
                   "val_recon_mse": round(rec_va, 7),
                   "val_max_err_um": round(1000 * (rec - xva).abs().max().item(), 2)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"ae": model.state_dict(), "optim": opt.state_dict(), "cosine": sched.state_dict(),
                "epoch": EPOCHS,
                "code_dim": CODE, "units": "mm"}, out / "taper_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="taper_ae.ckpt", log="taper_ae.jsonl",
           what="autoencoder of needle taper profiles from a laser micrometer; the optimizer"
                " was built while the encoder was frozen, so the encoder is never stepped",
           complaint="Our needle-profile autoencoder will not reconstruct cleanly: even good"
                     " needles come back with errors of 0.2-0.3 mm at some positions, far"
                     " above the 5 µm micrometer noise, so it flags everything. The loss"
                     " drops fast for a few epochs, then sits at 0.004 for the other 30."
                     " Tried a bigger code and a lower learning rate, no real change.")


if __name__ == "__main__":
    main()
