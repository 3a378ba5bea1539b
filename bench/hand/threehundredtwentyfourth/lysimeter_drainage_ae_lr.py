"""Plain torch: a convolutional autoencoder learns the normal shape of a day of a weighing
lysimeter's record (96 quarter-hour readings of the tank mass change and the drainage
tipping counter), so the field technician can rank days by reconstruction error and check
the odd ones (wind load on the tank, a stuck drainage valve, animals on the grass) before
the data go into the water balance. A normal day: evapotranspiration takes mass off in a
daytime bell (2-7 mm), rain showers add steps, drainage follows rain with a delay and a
recession; the load cells add 0.05 mm noise.
Input: (2, 96) cumulative mass change / 3 mm, cumulative drainage / 1 mm.
Model: Conv1d 2→16 k5 s2, GELU, Conv1d 16→32 k5 s2, GELU, flatten, linear 768→12 code,
linear 12→768, ConvTranspose1d 32→16, GELU, ConvTranspose1d 16→2; MSE; SGD momentum 0.9,
batch 32, 14 epochs, 1800 days, validation on 450.
The bug: the learning rate is set to 0.1 (``lr=0.1``) for SGD with momentum 0.9 on
these unnormalised cumulative readings: the loss falls from 1.24 to 0.083 (epoch 7), turns
noisy (0.145 → 0.249 → 0.117), then val MSE jumps to 5.2e12 at epoch 9 and everything is nan
from epoch 10 on (control, ``lr=0.01``: loss 1.42 → 0.065, val MSE 0.062, p95 0.27).
Log: JSON lines per epoch ``lysi_ae_log.jsonl`` (``epoch`` / ``train_recon`` /
``val_recon`` / ``val_recon_p95``); checkpoint ``lysi_ae.tar`` with keys ``encoder`` /
``decoder`` / ``sgd_state`` / ``epoch`` / ``scales_mm``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

Q = 96


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = torch.arange(Q).float() / 4
    et_total = 2 + 5 * r(n, 1)
    bell = torch.exp(-0.5 * ((h - 13) / 3) ** 2)
    et = torch.cumsum(bell / bell.sum() * et_total, 1)
    rain = torch.zeros(n, Q)
    for _ in range(2):
        on = (r(n, 1) < 0.4).float()
        at = 96 * r(n, 1)
        amt = 15 * r(n, 1) ** 2
        rain = rain + on * amt * torch.sigmoid((h * 4 - at) * 2)
    lag = 8 + 8 * r(n, 1)
    drain = 0.4 * F.relu(torch.roll(rain, 12, 1) * (torch.arange(Q) >= 12) - 2)
    drain = drain * (1 - torch.exp(-h * 4 / lag))
    mass = rain - et - drain + 0.05 * torch.randn(n, Q, generator=g)
    x = torch.stack([mass / 3, drain + 0.02 * torch.randn(n, Q, generator=g)], 1)
    return x


class LysiAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv1d(2, 16, 5, 2, 2), nn.GELU(),
                                     nn.Conv1d(16, 32, 5, 2, 2), nn.GELU(), nn.Flatten(),
                                     nn.Linear(768, 12))
        self.decoder = nn.Sequential(nn.Linear(12, 768), nn.Unflatten(1, (32, 24)),
                                     nn.ConvTranspose1d(32, 16, 4, 2, 1), nn.GELU(),
                                     nn.ConvTranspose1d(16, 2, 4, 2, 1))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return LysiAE()


def main():
    from _threehundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = days(1800, g)
    xva = days(450, g)
    print("scale", xtr.std((0, 2)).tolist(), xtr.abs().amax((0, 2)).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with open(out / "lysi_ae_log.jsonl", "w") as log:
        for epoch in range(14):
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
                err = ((model(xva) - xva) ** 2).mean((1, 2))
            rec = {"epoch": epoch, "train_recon": tot / len(xtr), "val_recon": err.mean().item(),
                   "val_recon_p95": err.quantile(0.95).item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "sgd_state": opt.state_dict(), "epoch": 14, "scales_mm": [3.0, 1.0]},
               out / "lysi_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_high"],
           checkpoint="lysi_ae.tar", log="lysi_ae_log.jsonl",
           what="1-D convolutional autoencoder of a day of weighing-lysimeter mass and drainage"
                " readings, trained with SGD at lr 0.1",
           complaint="The lysimeter day autoencoder trains nicely for about eight epochs, then"
                     " the reconstruction error jumps to something like 1e12 and from the"
                     " next epoch on the log shows nan for everything. The input days look"
                     " perfectly normal and there are no missing readings.")


if __name__ == "__main__":
    main()
