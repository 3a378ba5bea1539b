"""Plain torch: a residual MLP flags which of three instrument errors a theodolite has,
from one two-face test set-up (8 targets at zenith angles between 60 and 120 degrees, each
read on face left and face right), so the survey office knows whether the instrument must
go back for adjustment. Multi-label, 3 heads: collimation error (horizontal FL - FR
differs by 2c / sin z, flagged when |c| > 10"), trunnion-axis tilt (adds 2i cot z to the
difference, flagged when |i| > 15") and vertical index error (FL + FR zenith sum differs
from 360° by 2 x, flagged when |x| > 10"). Each instrument draws c, i, x (some inside,
some outside tolerance), pointing noise 3" per reading. Input: (24,) the 8 horizontal
differences / 20", the 8 vertical sums' excess / 20" and the 8 cos z values.
Model: 24→64, 3 residual blocks (LayerNorm → 64→128 → GELU → 128→64, added back),
LayerNorm → 3 logits; BCE with logits, RAdam 2e-3 with OneCycleLR (max 4e-3), batch 128,
18 epochs over 3000 set-ups, validation on 800.
Healthy; numbers in the README.
Log: one JSON lines file ``faceerr_log.jsonl``: ``{"kind": "train", "step", "bce"}`` every
8 steps and ``{"kind": "val", "epoch", "bce", "exact_match", "f1_collim", "f1_trunnion",
"f1_index"}`` per epoch; checkpoint ``faceerr_resmlp.pt`` with keys ``state_dict`` /
``radam`` / ``onecycle`` / ``epoch`` / ``labels`` / ``arcsec_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["collimation", "trunnion", "index"]
K = 8


def setups(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c = (r(n, 1) * 2 - 1) * 25
    i = (r(n, 1) * 2 - 1) * 35
    x = (r(n, 1) * 2 - 1) * 25
    z = torch.deg2rad(60 + 60 * r(n, K))
    hdiff = 2 * c / torch.sin(z) + 2 * i * torch.cos(z) / torch.sin(z) + 3 * math.sqrt(2) * torch.randn(n, K, generator=g)
    vsum = 2 * x + 3 * math.sqrt(2) * torch.randn(n, K, generator=g)
    feats = torch.cat([hdiff / 20, vsum / 20, torch.cos(z)], 1)
    y = torch.cat([c.abs() > 10, i.abs() > 15, x.abs() > 10], 1).float()
    return feats, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, h):
        return h + self.f(h)


class FaceErrNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(3 * K, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 3))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return FaceErrNet()


def f1(p, y):
    tp = (p & y).sum().item()
    return 2 * tp / max(p.sum().item() + y.sum().item(), 1)


def main():
    from _threehundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = setups(3000, g)
    xva, yva = setups(800, g)
    print("label shares", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.RAdam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=18 * len(dl))
    step = 0
    with open(out / "faceerr_log.jsonl", "w") as log:
        for ep in range(18):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 8 == 0:
                    log.write(json.dumps({"kind": "train", "step": step,
                                          "bce": round(loss.item(), 6)}) + "\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p, y = lv > 0, yva > 0.5
            row = {"kind": "val", "epoch": ep,
                   "bce": round(F.binary_cross_entropy_with_logits(lv, yva).item(), 6),
                   "exact_match": round((p == y).all(1).float().mean().item(), 4)}
            for j, name in enumerate(["f1_collim", "f1_trunnion", "f1_index"]):
                row[name] = round(f1(p[:, j], y[:, j]), 4)
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"state_dict": model.state_dict(), "radam": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 18, "labels": LABELS,
                "arcsec_scale": 20.0}, out / "faceerr_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="faceerr_resmlp.pt", log="faceerr_log.jsonl",
           what="residual MLP flagging a theodolite's collimation, trunnion and index errors"
                " from a two-face test set-up, multi-label (healthy)")


if __name__ == "__main__":
    main()
