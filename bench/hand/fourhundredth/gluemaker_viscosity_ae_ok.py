"""Plain torch: an autoencoder squeezes a hide-glue batch's viscosity-temperature curve (the
gluemaker's falling-ball viscometer, log10 mPa·s at 24 temperatures from 30 to 76 °C) into 3
numbers, so that a new batch can be placed against the house grades and odd curves stand out
by their reconstruction error. A curve follows Arrhenius flow (log η = a + b / T) whose level
rises with the glue concentration (25-45 %) and the gel strength (Bloom 100-450 g), plus a
gel upturn below the gel point (26-36 °C, higher for strong glue), and a drop at all
temperatures for batches degraded by long cooking or a low pH; reading noise 0.02 decades.
Input: (24,) log10 viscosity centred and scaled with the train mean / std of all readings.
Model: 24→48→GELU→24→GELU→3 (encoder), 3→24→GELU→48→GELU→24 (decoder); MSE, AdamW 3e-3
(weight decay 1e-4) with OneCycleLR stepped each batch, batch 128, 30 epochs, 3000 curves,
validation on 600.
Healthy; numbers in the README.
Log: one JSON lines record per epoch ``glue_ae.jsonl`` (``ep`` / ``lr`` / ``recon_train`` /
``recon_val`` / ``val_rmse_decades``); checkpoint ``glue_ae.ckpt`` with keys ``weights`` /
``optim`` / ``sched`` / ``ep`` / ``temps_c`` / ``logeta_mean`` / ``logeta_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

TEMPS = torch.linspace(30, 76, 24)


def curves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    conc = 25 + 20 * r(n, 1)
    bloom = 100 + 350 * r(n, 1)
    degraded = (r(n, 1) < 0.25).float() * (0.1 + 0.3 * r(n, 1))
    tk = TEMPS + 273.15
    b = 1500 + 4 * bloom
    a = -b / 333.15 + 1.2 + 0.045 * (conc - 25) + 0.0012 * (bloom - 100)
    gel = 26 + 10 * (bloom - 100) / 350
    upturn = 0.9 * F.softplus((gel + 4 - TEMPS) / 2.5)
    logeta = a + b / tk + upturn - degraded
    return logeta + 0.02 * torch.randn(n, 24, generator=g)


class GlueAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(24, 48), nn.GELU(), nn.Linear(48, 24), nn.GELU(),
                                 nn.Linear(24, 3))
        self.dec = nn.Sequential(nn.Linear(3, 24), nn.GELU(), nn.Linear(24, 48), nn.GELU(),
                                 nn.Linear(48, 24))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return GlueAE()


def main():
    from _fourhundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ctr, cva = curves(3000, g), curves(600, g)
    m, s = ctr.mean(), ctr.std()
    xtr, xva = (ctr - m) / s, (cva - m) / s
    print("log eta", ctr.min().item(), ctr.max().item(), "scale", s.item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=30,
                                                steps_per_epoch=len(dl))
    with open(out / "glue_ae.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rec = F.mse_loss(model(xva), xva).item()
            row = {"ep": ep, "lr": sched.get_last_lr()[0], "recon_train": tot / len(xtr),
                   "recon_val": rec, "val_rmse_decades": rec ** 0.5 * s.item()}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 30, "temps_c": TEMPS,
                "logeta_mean": m, "logeta_scale": s}, out / "glue_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="glue_ae.ckpt", log="glue_ae.jsonl",
           what="autoencoder compressing a hide-glue viscosity-temperature curve to 3 numbers"
                " (healthy)")


if __name__ == "__main__":
    main()
