"""Plain torch: an autoencoder learns the shape of a true wheel from the runout gauge on a
wainwright's truing stand, so that wheels whose rim it cannot rebuild well (a wheel out of
true) can be flagged for re-setting the tyre. The gauge reads the rim's radial deviation
(mm) at 64 angles round the wheel: ovality from the tyre setting (second harmonic, 0-1.2 mm,
any phase), a small wobble (first harmonic, 0-0.5 mm), a step at each felloe joint (one felloe
per two spokes, 5-8 felloes, ±0.15 mm), an occasional flat spot (a dip 0.2-0.8 mm wide 4-10
samples, one wheel in four) and gauge noise 0.03 mm.
Input: (64,) deviation in mm. Model: Linear 64→48, ELU, Linear 48→8 (code), ELU, Linear
8→48, ELU, Linear 48→64; MSE against the input, Adam 2e-3, batch 64,
20 epochs, 1600 wheels, validation on 400.
The bug: the loop calls ``loss.backward()`` and ``opt.step()`` but never clears the
gradients, so each step's gradient is added to every earlier one and the step grows with
the run: train MSE 0.319 at step 0, lowest 0.093 at step 35, then up to 13.4 at step 495;
val MSE 0.192 → 13.0 (signal variance 0.29), code std 1.5 → 127 (control,
``opt.zero_grad()`` put back before ``loss.backward()``: val MSE 0.071 → 0.0055, 0.0103 on
the wheels with a flat spot).
Log: CSV every 5 steps ``runout_steps.csv`` (``global_step`` / ``epoch`` / ``recon_mse``)
and a separate per-epoch CSV ``runout_val.csv`` (``epoch`` / ``val_recon_mse`` /
``val_recon_mse_flat`` / ``code_std``, named as the log in the truth); checkpoint
``rim_ae.pt`` with keys ``autoencoder`` / ``sgd`` / ``epoch`` / ``angles`` / ``units``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

A = 64


def runout(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    th = torch.linspace(0, 2 * math.pi, A + 1)[:-1].unsqueeze(0)
    oval = 1.2 * r(n, 1) * torch.cos(2 * th + 2 * math.pi * r(n, 1))
    wob = 0.5 * r(n, 1) * torch.cos(th + 2 * math.pi * r(n, 1))
    felloes = torch.randint(5, 9, (n, 1), generator=g).float()
    seg = torch.floor(th * felloes / (2 * math.pi))
    steps = torch.zeros(n, A)
    levels = 0.15 * (2 * r(n, 8) - 1)
    steps = levels.gather(1, seg.long().clamp(max=7))
    flat = (r(n, 1) < 0.25).float()
    centre = (A * r(n, 1)).floor()
    width = 4 + 6 * r(n, 1)
    d = torch.remainder(torch.arange(A).float().unsqueeze(0) - centre + A / 2, A) - A / 2
    dip = -(0.2 + 0.6 * r(n, 1)) * torch.exp(-(d / (width / 2)) ** 2)
    x = oval + wob + steps + flat * dip + 0.03 * torch.randn(n, A, generator=g)
    return x, flat.squeeze(1).bool()


class RimAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(A, 48), nn.ELU(), nn.Linear(48, 8))
        self.dec = nn.Sequential(nn.ELU(), nn.Linear(8, 48), nn.ELU(), nn.Linear(48, A))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return RimAE()


def main():
    from _threehundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, _ = runout(1600, g)
    xva, flat_va = runout(400, g)
    print("signal var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gstep = 0
    with open(out / "runout_steps.csv", "w", newline="") as fs, \
            open(out / "runout_val.csv", "w", newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        ws.writerow(["global_step", "epoch", "recon_mse"])
        wv.writerow(["epoch", "val_recon_mse", "val_recon_mse_flat", "code_std"])
        for epoch in range(20):
            model.train()
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                loss.backward()  # gradients of the reconstruction
                opt.step()
                if gstep % 5 == 0:
                    ws.writerow([gstep, epoch, f"{loss.item():.6f}"])
                gstep += 1
            model.eval()
            with torch.no_grad():
                rec = model(xva)
                code = model.enc(xva)
            err = ((rec - xva) ** 2).mean(1)
            row = [err.mean().item(), err[flat_va].mean().item(), code.std(0).mean().item()]
            wv.writerow([epoch] + [f"{v:.6f}" for v in row])
            print(epoch, [round(v, 5) for v in row])
    torch.save({"autoencoder": model.state_dict(), "sgd": opt.state_dict(), "epoch": 20,
                "angles": A, "units": "mm"}, out / "rim_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["missing_zero_grad"],
           checkpoint="rim_ae.pt", log="runout_val.csv",
           what="autoencoder of a cart wheel's rim runout on a wainwright's truing stand;"
                " optimizer.zero_grad() never called, gradients summed over the whole run",
           complaint="Autoencoder on our wheel runout readings: the loss drops nicely to about"
                     " 0.09 in the first 35 steps and then climbs for the rest of the run, 0.7 by"
                     " epoch 5, 5 by epoch 11, 13 at the end. That is far worse than just"
                     " outputting zeros (the readings have variance 0.29). No NaN, no error, it"
                     " just gets worse every epoch and the 8-number codes grow to std 127.")


if __name__ == "__main__":
    main()
