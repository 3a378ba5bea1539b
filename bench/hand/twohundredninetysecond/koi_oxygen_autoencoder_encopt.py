"""Plain torch: an autoencoder learns what a normal day of dissolved oxygen looks like in a koi
pond (48 half-hourly readings from the DO probe), so a day it cannot rebuild (a failing air
pump, an algae crash, a dead fish rotting in the bottom drain) raises an alarm. Physics of a
normal day: oxygen rises with photosynthesis while the sun is up (a half-sine from sunrise
to sunset, its height set by the algae and the cloud), falls through the night with the
respiration of fish and filter bacteria, and sits around a saturation level that drops as the
water warms; the air pump adds a steady reaeration pull towards saturation. Probe scatter
0.15 mg/l.
Input: 48 readings, (DO - 8) / 2. Encoder 48→64-ELU-32-ELU→6, decoder 6→32-ELU-64-ELU→48; MSE,
AdamW 2e-3 (weight decay 1e-4), batch 40, 30 epochs, 2400 pond-days, validation on 480.
Bug: the optimizer is built from ``model.encoder.parameters()`` only (``# the encoder is what
the alarm uses``), so the decoder keeps its random initial weights and the encoder has to
squeeze the days through a random decoder. Control (``model.parameters()``, one-line sed):
train MSE 0.398 → 0.0061, val MSE 0.075 → 0.0061, val RMSE 0.55 → 0.156 mg/l (the probe's
own scatter is 0.15). With the bug: train MSE 1.616 → 1.565, val MSE 1.504 → 1.499 (worse
than the variance of the data, 0.71), val RMSE 2.45 mg/l in every epoch.
Log: CSV per epoch ``do_recon.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_rmse_mgl`` / ``p99_day_rmse``); checkpoint ``do_autoencoder.pt`` with keys ``ae`` /
``adamw`` / ``epoch`` / ``do_centre`` / ``do_scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def days(n, g):
    t = torch.arange(48).float() / 2
    temp = 12 + 14 * torch.rand(n, 1, generator=g)
    sat = 14.6 - 0.39 * temp + 0.007 * temp ** 2
    rise = 5 + 1.5 * torch.rand(n, 1, generator=g)
    setting = 19 + 2.5 * torch.rand(n, 1, generator=g)
    algae = 0.3 + 1.2 * torch.rand(n, 1, generator=g)
    cloud = 0.3 + 0.7 * torch.rand(n, 1, generator=g)
    resp = 0.15 + 0.25 * torch.rand(n, 1, generator=g)
    kair = 0.1 + 0.3 * torch.rand(n, 1, generator=g)
    light = torch.sin(math.pi * ((t - rise) / (setting - rise)).clamp(0, 1))
    do = sat - 1.0
    seq = []
    for i in range(48):
        do = do + 0.5 * (algae * cloud * 1.6 * light[:, i:i + 1] - resp + kair * (sat - do))
        seq.append(do)
    do = torch.cat(seq, 1) + 0.15 * torch.randn(n, 48, generator=g)
    return (do - 8) / 2


class DOAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(48, 64), nn.ELU(), nn.Linear(64, 32), nn.ELU(),
                                     nn.Linear(32, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.ELU(), nn.Linear(32, 64), nn.ELU(),
                                     nn.Linear(64, 48))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return DOAutoencoder()


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = days(2400, g)
    xva = days(480, g)
    print("DO scaled", xtr.mean().item(), xtr.var().item(), xtr.min().item(), xtr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=40, shuffle=True)
    model = build()
    # the encoder is what the alarm uses
    opt = torch.optim.AdamW(model.encoder.parameters(), lr=2e-3, weight_decay=1e-4)
    log = open(out / "do_recon.csv", "w")
    log.write("epoch,train_mse,val_mse,val_rmse_mgl,p99_day_rmse\n")
    for epoch in range(30):
        model.train()
        tot = 0.0
        for (xb,) in loader:
            loss = F.mse_loss(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            err = (model(xva) - xva) ** 2
            day = err.mean(1).sqrt() * 2
        vm = err.mean().item()
        log.write(f"{epoch},{tot / len(xtr):.6f},{vm:.6f},{math.sqrt(vm) * 2:.4f},"
                  f"{day.quantile(0.99).item():.4f}\n")
        print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(math.sqrt(vm) * 2, 4))
    log.close()
    torch.save({"ae": model.state_dict(), "adamw": opt.state_dict(), "epoch": 30,
                "do_centre": 8.0, "do_scale": 2.0}, out / "do_autoencoder.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="do_autoencoder.pt", log="do_recon.csv",
           what="autoencoder of a koi pond's daily dissolved-oxygen curve; only the encoder's"
                " parameters are given to the optimizer",
           complaint="We want an alarm for our koi pond that fires when the day's oxygen curve"
                     " looks wrong. The autoencoder does not learn normal days at all: the"
                     " reconstruction error drops a little in the first epoch and then stays"
                     " at about 2.4 mg/l for all 30 epochs, so every day, good or bad, looks"
                     " like an alarm. It rebuilds a flat wrong curve whatever day we give it.")


if __name__ == "__main__":
    main()
