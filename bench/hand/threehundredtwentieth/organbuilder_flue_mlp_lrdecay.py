"""Plain torch: an MLP predicts the sounding pitch of an open metal flue pipe from its
workshop measurements, so the organbuilder can cut a pipe to length before voicing: speaking
length (150-1200 mm), diameter (scale, 20-90 mm), mouth width ratio (1/5-1/4), cut-up ratio,
wall thickness, tin share of the alloy, and the air temperature of the church. The pitch
follows the open-pipe rule f = c / (2 (L + 0.6 d)), c = 331.3 + 0.606 T m/s, pulled down a
little by a high cut-up and a narrow mouth, with voicing scatter of about 3 cents.
Target: log2(f / 262 Hz) (octaves from middle C). Input: 7 standardised measurements.
Model: MLP 7→64→64→1, Tanh; MSE, Adam 3e-3 with an ExponentialLR, batch 32, 12 epochs over
2000 pipes, validation on 500.
The bug: ``ExponentialLR(opt, gamma=0.95)`` meant per epoch but ``sched.step()`` sits in
the batch loop, so the rate is 3e-3 × 0.95^63 = 1.2e-4 by the end of the first epoch and
4e-20 at the end; val MSE 0.0318 → 0.0316 (flat from epoch 1), about 213 cents RMS (target
variance 0.54) (control, ``gamma=0.9995``: val MSE 0.0292 → 0.00067, 205 → 31 cents RMS).
Log: CSV per step ``flue_steps.csv`` (``step`` / ``lr`` / ``mse``) and a separate per-epoch
CSV ``flue_val.csv`` (``epoch`` / ``val_mse`` / ``val_cents_rms``); checkpoint
``flue_mlp.pt`` with keys ``net`` / ``adam`` / ``sched`` / ``epoch`` / ``x_mean`` /
``x_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def pipes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 150 + 1050 * r(n)
    diam = 20 + 70 * r(n)
    mouth = 0.2 + 0.05 * r(n)
    cutup = 0.2 + 0.2 * r(n)
    wall = 0.5 + r(n)
    tin = 0.2 + 0.7 * r(n)
    temp = 8 + 17 * r(n)
    c = 331.3 + 0.606 * temp
    f = c * 1000 / (2 * (length + 0.6 * diam))
    f = f * (1 - 0.03 * (cutup - 0.3) - 0.05 * (0.225 - mouth)) * 2 ** (3 / 1200 * torch.randn(n, generator=g))
    x = torch.stack([length, diam, mouth, cutup, wall, tin, temp], 1)
    return x, torch.log2(f / 262).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))


def main():
    from _threehundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pipes(2000, g)
    xva, yva = pipes(500, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)  # a gentle 5 % per epoch
    step = 0
    with open(out / "flue_steps.csv", "w", newline="") as fs, open(out / "flue_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "lr", "mse"])
        lv.writerow(["epoch", "val_mse", "val_cents_rms"])
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 32):
                idx = perm[i:i + 32]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                ls.writerow([step, f"{opt.param_groups[0]['lr']:.3e}", f"{loss.item():.6f}"])
            model.eval()
            with torch.no_grad():
                mse = F.mse_loss(model(xva), yva).item()
            lv.writerow([epoch, f"{mse:.6f}", f"{1200 * mse ** 0.5:.2f}"])
            print(epoch, mse, 1200 * mse ** 0.5)
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 12, "x_mean": mean, "x_std": std}, out / "flue_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="flue_mlp.pt", log="flue_val.csv",
           what="MLP predicting an open flue pipe's pitch (octaves from middle C) from its"
                " workshop measurements",
           complaint="The pipe pitch model gets stuck after the first epoch: validation error"
                     " stops moving at about 213 cents, far worse than the few cents of voicing"
                     " scatter, and the training loss per step is flat for the last ten epochs."
                     " More epochs don't change anything.")


if __name__ == "__main__":
    main()
