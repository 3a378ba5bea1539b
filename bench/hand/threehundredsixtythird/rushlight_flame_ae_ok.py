"""Plain torch: an autoencoder learns what a normal rushlight burn looks like, for a folk-life
museum that dips its own rushlights and logs every one with a photodiode beside the nip
holder (64 readings, one every 15 s over 16 min), so that odd burns (bad fat, a split pith)
stand out by their reconstruction error. The trace: brightness set by the fat (mutton
tallow brighter and steadier than bacon grease) and the pith's thickness, a slow fall as the
flame burns down towards the jaws of the nip, a sharp recovery each time the keeper slides
the rush up (every 3-5 min, by hand, so a little irregular), a flicker that grows with
bacon fat, and sensor noise.
Input: (64,) brightness / 100 lux, minus 1. Model: Linear 64→48 + ReLU, Linear 48→8 (code),
Linear 8→48 + ReLU, Linear 48→64; MSE, Adam 2e-3 with ExponentialLR(0.9), batch 32,
25 epochs of 1600 traces, validation on 400.
Healthy; numbers in the README.
Log: TSV per epoch ``ae_epochs.tsv`` (``epoch`` / ``lr`` / ``recon_mse`` / ``val_recon_mse`` /
``val_mse_of_mean_trace``); checkpoint ``rushlight_ae.pth`` with keys ``encoder_decoder`` /
``adam_state`` / ``sched_state`` / ``epoch`` / ``lux_scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 64


def burns(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() * 0.25  # minutes
    mutton = (r(n, 1) < 0.6).float()
    pith = 0.8 + 0.4 * r(n, 1)
    level = (0.9 + 0.5 * mutton) * pith
    period = 3 + 2 * r(n, 1)
    since = torch.remainder(t + period * r(n, 1), period)  # minutes since the rush was slid up
    since = since + 0.3 * torch.sin(2 * math.pi * t / 7 + 6 * r(n, 1))
    fade = 1 - 0.35 * since.clamp(min=0) / period
    flicker = (0.03 + 0.1 * (1 - mutton)) * torch.sin(2 * math.pi * 1.7 * t + 6 * r(n, 1))
    lux = level * fade * (1 + flicker) * (1 - 0.1 * t / 16)
    lux = lux + 0.02 * torch.randn(n, N, generator=g)
    return lux - 1.0


class BurnAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(N, 48), nn.ReLU(), nn.Linear(48, 8))
        self.dec = nn.Sequential(nn.Linear(8, 48), nn.ReLU(), nn.Linear(48, N))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return BurnAE()


def main():
    from _threehundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = burns(1600, g)
    xva = burns(400, g)
    base = F.mse_loss(xtr.mean(0).expand_as(xva), xva).item()
    print("mse of the mean trace", base)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)
    with open(out / "ae_epochs.tsv", "w") as log:
        log.write("epoch\tlr\trecon_mse\tval_recon_mse\tval_mse_of_mean_trace\n")
        for epoch in range(25):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 32):
                xb = xtr[perm[b:b + 32]]
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                val = F.mse_loss(model(xva), xva).item()
            log.write(f"{epoch}\t{lr:.6g}\t{tot / len(xtr):.6f}\t{val:.6f}\t{base:.6f}\n")
            print(epoch, round(tot / len(xtr), 6), round(val, 6))
    torch.save({"encoder_decoder": model.state_dict(), "adam_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 25, "lux_scale": [100.0, -1.0]},
               out / "rushlight_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="rushlight_ae.pth", log="ae_epochs.tsv",
           what="autoencoder of a rushlight's photodiode burn trace, for spotting odd burns"
                " (healthy)")


if __name__ == "__main__":
    main()
