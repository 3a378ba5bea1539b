"""Plain torch: an autoencoder learns the shape of a good blow of the shingling hammer in a
wrought-iron works, from the load cell under the anvil block (48 samples over 60 ms), so the
shingler's blows on a puddled ball can later be screened for the odd one (a ball too cold,
or one that squirts cinder). A blow is a half-sine pulse whose length and height follow the
ball's heat (a hot, soft ball: a longer, lower pulse; 1150-1350 °C) and the hammer's drop
(0.4-1.0 m, height ~ √drop), a rebound bump after it, a ringing of the anvil at 600-800 Hz
that dies away, a small offset drift of the load cell, and 1 % noise of full scale.
Input and target: (48,) force / 400 kN. Model: 48→64→Tanh→32→Tanh→6 (code) →32→Tanh→64→
Tanh→48; MSE, Adam 1e-3 with ExponentialLR (×0.93 per epoch), batch 128, 25 epochs, 3200
blows, validation on 800.
Healthy; numbers in the README.
Log: one JSON lines file per 10 steps and per epoch ``shingle_ae.jsonl`` (``{"step",
"mse"}`` lines and ``{"epoch", "lr", "val_mse", "val_psnr_db"}`` lines); checkpoint
``blow_ae.pt`` with keys ``encoder_decoder`` / ``adam`` / ``sched`` / ``epoch`` /
``force_scale_kn`` / ``code_dim``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 48
KN = 400.0


def blows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(S).float() * (60.0 / S)  # ms
    heat, drop = 1150 + 200 * r(n, 1), 0.4 + 0.6 * r(n, 1)
    dur = 14 + 12 * (heat - 1150) / 200  # ms
    peak = 320 * drop.sqrt() * (1.25 - 0.5 * (heat - 1150) / 200)
    t0 = 2 + 3 * r(n, 1)
    u = ((t - t0) / dur).clamp(0, 1)
    pulse = peak * torch.sin(math.pi * u)
    reb = 0.18 * peak * torch.exp(-0.5 * ((t - t0 - dur - 6) / 3) ** 2)
    f = 600 + 200 * r(n, 1)
    ring = 0.05 * peak * torch.sin(2 * math.pi * f * (t - t0) / 1000) * torch.exp(
        -(t - t0).clamp(min=0) / 15) * (t > t0)
    drift = 4 * (r(n, 1) - 0.5) + 3 * (r(n, 1) - 0.5) * t / 60
    x = pulse + reb + ring + drift + 0.01 * KN * torch.randn(n, S, generator=g)
    return x / KN


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(S, 64), nn.Tanh(), nn.Linear(64, 32), nn.Tanh(),
                         nn.Linear(32, 6), nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 64),
                         nn.Tanh(), nn.Linear(64, S))


def main():
    from _threehundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = blows(3200, g), blows(800, g)
    print("signal var", xtr.var().item(), "noise var", 0.01 ** 2)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)
    step = 0
    with open(out / "shingle_ae.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "mse": round(loss.item(), 7)}) + "\n")
                step += 1
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                vm = F.mse_loss(model(xva), xva).item()
            psnr = 10 * math.log10(xva.max().item() ** 2 / vm)
            log.write(json.dumps({"epoch": epoch, "lr": round(lr, 7), "val_mse": round(vm, 7),
                                  "val_psnr_db": round(psnr, 3)}) + "\n")
            print(epoch, round(loss.item(), 6), round(vm, 6), round(psnr, 2))
    torch.save({"encoder_decoder": model.state_dict(), "adam": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 25, "force_scale_kn": KN, "code_dim": 6},
               out / "blow_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="blow_ae.pt",
           log="shingle_ae.jsonl",
           what="autoencoder of shingling-hammer blow force curves (load cell under the anvil),"
                " for screening odd blows later (healthy)")


if __name__ == "__main__":
    main()
