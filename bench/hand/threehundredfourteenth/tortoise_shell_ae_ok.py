"""Plain torch: an MLP autoencoder compresses the carapace outline of a Hermann's tortoise
seen from above (48 radii from the shell's centre, one every 7.5°, from photos taken at a
rescue centre's yearly weigh-in) to 5 numbers, so the keepers can flag pyramiding and
injured shells as the outlines the model reconstructs worst. An outline is an ellipse
(length 10-20 cm, width / length 0.7-0.85) with a wider rear, a notched nuchal scute at
the front, a supracaudal bulge at the back and small scute-edge ripples at 13 marginal
positions a side; 10 % of shells have an old bite or crack (a missing wedge). Input:
radii / 10 cm minus their training mean.
Model: 48 → 64 → 5 → 64 → 48, GELU; MSE, Adam 2e-3 with ExponentialLR (0.92 per epoch),
batch 50, 25 epochs over 1500 outlines, validation on 400.
Healthy; numbers in the README.
Log: JSON lines ``outline_ae.jsonl``, one record per epoch (``ep`` / ``lr`` /
``train_mse`` / ``val_mse`` / ``val_mse_cracked``); checkpoint ``outline_ae.tar`` with keys
``encoder_decoder`` / ``adam`` / ``sched`` / ``ep`` / ``radius_mean`` / ``n_angles``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

K = 48


def outlines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    a = torch.arange(K).float() * 2 * math.pi / K
    length = 10 + 10 * r(n, 1)
    ratio = 0.7 + 0.15 * r(n, 1)
    rear = 1 + 0.08 * r(n, 1) * (1 - torch.cos(a))  # wider towards the back (a = pi)
    ca, sa = torch.cos(a), torch.sin(a)
    ell = 1 / torch.sqrt((ca / 1.0) ** 2 + (sa / ratio) ** 2)
    notch = 1 - 0.06 * r(n, 1) * torch.exp(-(torch.remainder(a + math.pi, 2 * math.pi) - math.pi) ** 2 / 0.02)
    bulge = 1 + 0.04 * r(n, 1) * torch.exp(-(a - math.pi) ** 2 / 0.05)
    ripple = 1 + 0.01 * torch.sin(26 * a + 6 * r(n, 1))
    rad = length / 2 * ell * rear * notch * bulge * ripple
    cracked = r(n, 1) < 0.1
    centre = 2 * math.pi * r(n, 1)
    wedge = torch.exp(-(torch.remainder(a - centre + math.pi, 2 * math.pi) - math.pi) ** 2 / 0.03)
    rad = rad * (1 - 0.15 * wedge * cracked.float())
    rad = rad + 0.05 * torch.randn(n, K, generator=g)
    return rad / 10, cracked.squeeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(K, 64), nn.GELU(), nn.Linear(64, 5),
                         nn.Linear(5, 64), nn.GELU(), nn.Linear(64, K))


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, _ = outlines(1500, g)
    xva, cva = outlines(400, g)
    mean = xtr.mean(0)
    xtr, xva = xtr - mean, xva - mean
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.92)
    with open(out / "outline_ae.jsonl", "w") as f:
        for ep in range(25):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 50):
                xb = xtr[perm[i:i + 50]]
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                err = ((model(xva) - xva) ** 2).mean(1)
            rec = {"ep": ep, "lr": round(lr, 7), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(err.mean().item(), 6), "val_mse_cracked": round(err[cva].mean().item(), 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder_decoder": model.state_dict(), "adam": opt.state_dict(), "sched": sched.state_dict(),
                "ep": 25, "radius_mean": mean, "n_angles": K}, out / "outline_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="outline_ae.tar", log="outline_ae.jsonl",
           what="MLP autoencoder over Hermann's tortoise carapace outlines (48 radii),"
                " bottleneck 5 (healthy)")


if __name__ == "__main__":
    main()
