"""Plain torch: an autoencoder compresses the pressure distribution a teaching wind tunnel's
multi-tube manometer bank reads off an airfoil model (24 pressure taps, 12 on each surface at
cosine-spaced chord stations), so a lab class can store runs as 3 numbers and flag a tap whose
tube leaks (large reconstruction error). Each run's pressure coefficients follow thin-airfoil
behaviour: a thickness suction term on both surfaces, a load ΔCp = 4α·sqrt((1-x)/x) from the
angle of attack (-4° to 14°) plus a camber load 16m·sqrt(x(1-x)) (camber 0-4 %), upper surface
Cp = thickness term - ΔCp/2, lower + ΔCp/2; above 10° the upper-surface flow separates from
the trailing edge forward and its Cp goes flat behind the separation point. Manometer reading
noise: a meniscus read to ±1 mm against a 50 mm dynamic head (0.02 in Cp).
Input and target: (24,) Cp / 2 (upper taps first, leading edge to trailing edge). Model: 24→32
→ELU→3 (code)→32→ELU→24; MSE, SGD 0.05 Nesterov momentum 0.9 with MultiStepLR (×0.2 at
epochs 20 and 30), batch 32, 40 epochs, 1500 runs, validation on 400.
Healthy; numbers in the README.
Log: JSON lines per epoch ``tunnel_ae.jsonl`` (``epoch`` / ``lr`` / ``recon_mse`` /
``val_recon_mse`` / ``val_mae_cp_upper``); checkpoint ``cp_autoencoder.pth`` with keys
``ae_weights`` / ``sgd_state`` / ``sched_state`` / ``epoch`` / ``tap_xc`` / ``cp_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

TAPS = 12
XC = 0.5 * (1 - torch.cos(math.pi * (torch.arange(TAPS).float() + 0.5) / TAPS))


def runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    alpha_deg = -4 + 18 * r(n, 1)
    a = alpha_deg * math.pi / 180
    m = 0.04 * r(n, 1)
    t = 0.09 + 0.06 * r(n, 1)
    x = XC.unsqueeze(0)
    thick = -(t / 0.12) * 1.5 * torch.sqrt(x) * (1 - x)
    load = 4 * a * torch.sqrt((1 - x) / x) + 16 * m * torch.sqrt(x * (1 - x))
    up, lo = (thick - load / 2).clamp(min=-6), thick + load / 2
    xs = 1 - (alpha_deg - 10).clamp(min=0) / 8
    k = ((x <= xs).sum(1, keepdim=True) - 1).clamp(min=0)  # last tap still attached
    up = torch.where(x > xs, up.gather(1, k), up)
    cp = torch.cat([up, lo], 1) + 0.02 * torch.randn(n, 2 * TAPS, generator=g)
    return cp / 2


class CpAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(2 * TAPS, 32), nn.ELU(), nn.Linear(32, 3))
        self.dec = nn.Sequential(nn.Linear(3, 32), nn.ELU(), nn.Linear(32, 2 * TAPS))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return CpAutoencoder()


def main():
    from _threehundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = runs(1500, g), runs(400, g)
    print("Cp/2 range", xtr.min().item(), xtr.max().item(), "var", xtr.var(0).mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[20, 30], gamma=0.2)
    with open(out / "tunnel_ae.jsonl", "w") as log:
        for epoch in range(40):
            model.train()
            tot, cnt = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                rec = model(xva)
            row = {"epoch": epoch, "lr": lr, "recon_mse": round(tot / cnt, 7),
                   "val_recon_mse": round(F.mse_loss(rec, xva).item(), 7),
                   "val_mae_cp_upper": round(2 * (rec - xva)[:, :TAPS].abs().mean().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"ae_weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 40, "tap_xc": XC, "cp_scale": 2.0},
               out / "cp_autoencoder.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="cp_autoencoder.pth", log="tunnel_ae.jsonl",
           what="autoencoder (3-number code) of an airfoil's pressure distribution read off a"
                " wind-tunnel multi-tube manometer (healthy)")


if __name__ == "__main__":
    main()
