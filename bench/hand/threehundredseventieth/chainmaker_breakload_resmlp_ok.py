"""Plain torch: a residual MLP predicts the breaking load (kN) a chainmaker's test bed will
find for a welded short-link chain, so the grade can be stamped before a sample is pulled to
destruction. 8 inputs: wire diameter (mm, 6-22), the steel's tensile strength (MPa,
600-1250), pitch / diameter and inner width / diameter of the link, flash-weld current
(kA per mm²) and upset (mm per mm of wire), quench-and-temper temperature (°C, 380-560),
and the share of links with a visible weld flash left after trimming. Breaking load follows
the textbook rule: two legs of wire, 2 × π d² / 4 × UTS, times a link-shape factor (long or
wide links bend and break lower), a weld efficiency (0.78-1.0, best near the right current
and upset), a temper factor (too cold brittle, too hot soft) and a flash penalty; 2 %
scatter.
Input: (8,) standardised. Target: (kN - train mean) / train std (31-890 kN). Model: Linear
8→64, 3 residual blocks (LayerNorm → Linear 64→128 → GELU → Linear 128→64, added back),
LayerNorm, Linear 64→1; MSE, SGD 0.03 Nesterov momentum 0.9 with OneCycleLR (max 0.03),
batch 100, 28 epochs, 3000 test pulls, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``breakload_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mape_pct``); checkpoint ``breakload_resmlp.pth`` with keys ``weights`` /
``opt_state`` / ``sched_state`` / ``epoch`` / ``feat_mu`` / ``feat_sd`` / ``kn_mu`` /
``kn_sd``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def pulls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = 6 + 16 * r(n)
    uts = 600 + 650 * r(n)
    pitch = 2.8 + 0.8 * r(n)
    width = 1.3 + 0.4 * r(n)
    current = 0.9 + 0.5 * r(n)
    upset = 0.8 + 0.7 * r(n)
    temper = 380 + 180 * r(n)
    flash = 0.2 * r(n)
    shape = 1.0 - 0.12 * (pitch - 3.0) - 0.25 * (width - 1.4)
    weld = 1.0 - 0.6 * (current - 1.15) ** 2 - 0.3 * (upset - 1.2) ** 2 - 0.3 * flash
    temper_f = 1.0 - 0.9e-5 * (temper - 470) ** 2 - 0.0006 * (temper - 470).clamp(min=0)
    kn = 2 * math.pi * d ** 2 / 4 * uts * shape * weld.clamp(0.78, 1.0) * temper_f / 1000
    kn = kn * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.stack([d, uts, pitch, width, current, upset, temper, flash], 1)
    return x, kn


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class BreakNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return BreakNet()


def main():
    from _threehundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ktr = pulls(3000, g)
    rva, kva = pulls(750, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    kmu, ksd = ktr.mean(), ktr.std()
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = ((ktr - kmu) / ksd)[:, None], ((kva - kmu) / ksd)[:, None]
    print("kN", ktr.min().item(), ktr.max().item())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.03, total_steps=28 * 30)
    torch.manual_seed(0)
    with open(out / "breakload_fit.jsonl", "w") as log:
        for epoch in range(28):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 100):
                b = perm[i:i + 100]
                loss = F.mse_loss(model(xtr[b]), ytr[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(b)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            kn_pred = p.squeeze(1) * ksd + kmu
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 6),
                   "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mape_pct": round((100 * (kn_pred - kva).abs() / kva).mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 28, "feat_mu": mu, "feat_sd": sd,
                "kn_mu": kmu, "kn_sd": ksd}, out / "breakload_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="breakload_resmlp.pth", log="breakload_fit.jsonl",
           what="residual MLP predicting the breaking load of a welded chain from wire, steel,"
                " link shape, weld and temper settings (healthy)")


if __name__ == "__main__":
    main()
