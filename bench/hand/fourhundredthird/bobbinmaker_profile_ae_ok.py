"""Plain torch: a denoising autoencoder learns the turned profiles of a bobbinmaker's lace
bobbins (East Midland style, 10 cm), read by a laser micrometer at 48 stations from the
spangle end to the head, so that bobbins whose profile it cannot rebuild can be pulled for
a look. A profile: the shank tapering from 3.4-4.2 mm radius at the spangle end to 2.2-2.8
mm, 1-3 decorative beads (raised 0.4-0.9 mm, 2-4 stations wide) at the turner's chosen
places, the neck (1.2-1.6 mm) and the head bulb (2.6-3.2 mm) at the top, with 0.03 mm
gauge noise. Training inputs get extra noise (0.08 mm) and one station dropped to 0 (a
missed reading), the target is the profile as read; validation inputs are the clean reads.
Input / target: (48,) radius in mm minus 3, over 0.8. Model: encoder 48→64→ELU→32→ELU→16,
decoder 16→32→ELU→64→ELU→48; MSE, RMSprop 1e-3 with CosineAnnealingLR (per epoch), batch
16, 20 epochs, 1200 bobbins, validation on 300.
Healthy; numbers in the README.
Log: one JSON lines file ``turning_ae.jsonl`` with ``{"step", "recon"}`` every 25 steps and
``{"epoch", "train_recon", "val_recon", "val_rms_mm", "lr"}`` per epoch; checkpoint
``bobbin_ae.bin`` with keys ``encoder_decoder`` / ``rmsprop`` / ``cosine`` / ``epoch`` /
``mm_offset_scale`` / ``stations``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 48


def profiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    s = torch.arange(N).float().unsqueeze(0)
    base, top = 3.4 + 0.8 * r(n, 1), 2.2 + 0.6 * r(n, 1)
    rad = base + (top - base) * s / 38
    beads = torch.zeros(n, N)
    count = torch.randint(1, 4, (n, 1), generator=g)
    for k in range(3):
        at = 6 + 28 * r(n, 1)
        w = 1.0 + 1.0 * r(n, 1)
        h = (0.4 + 0.5 * r(n, 1)) * (k < count).float()
        beads = beads + h * torch.exp(-((s - at) / w) ** 2)
    neck = 1.2 + 0.4 * r(n, 1)
    head = 2.6 + 0.6 * r(n, 1)
    upper = torch.where(s < 42, neck, head * torch.sqrt((1 - ((s - 44.5) / 3.6) ** 2).clamp(min=0.05)))
    rad = torch.where(s < 39, rad + beads, upper)
    rad = rad + 0.03 * torch.randn(n, N, generator=g)
    return (rad - 3) / 0.8


class BobbinAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(N, 64), nn.ELU(), nn.Linear(64, 32), nn.ELU(),
                                     nn.Linear(32, 16))
        self.decoder = nn.Sequential(nn.Linear(16, 32), nn.ELU(), nn.Linear(32, 64), nn.ELU(),
                                     nn.Linear(64, N))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return BobbinAE()


def main():
    from _fourhundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ytr = profiles(1200, g)
    yva = profiles(300, g)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    step = 0
    with open(out / "turning_ae.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            tot = 0.0
            for (yb,) in dl:
                xb = yb + 0.1 * torch.randn_like(yb)
                miss = torch.randint(0, N, (len(yb),))
                xb[torch.arange(len(yb)), miss] = -3 / 0.8
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(yb)
                if step % 25 == 0:
                    f.write(json.dumps({"step": step, "recon": round(loss.item(), 6)}) + "\n")
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                val = F.mse_loss(model(yva), yva).item()
            rec = {"epoch": epoch, "train_recon": round(tot / len(ytr), 6), "val_recon": round(val, 6),
                   "val_rms_mm": round(0.8 * val ** 0.5, 5), "lr": lr}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder_decoder": model.state_dict(), "rmsprop": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 20, "mm_offset_scale": (3.0, 0.8),
                "stations": N}, out / "bobbin_ae.bin")
    finish(out, __file__, (yva[:64], yva[:64]), causes=[], checkpoint="bobbin_ae.bin",
           log="turning_ae.jsonl",
           what="denoising autoencoder of turned lace-bobbin profiles from a laser micrometer"
                " (healthy)")


if __name__ == "__main__":
    main()
