"""Plain torch: a residual MLP decides from a 0-25 mm outside micrometer's calibration sheet
whether the instrument is still fit for use in the inspection room (pass) or goes to the
repair bench (fail). The sheet: the error read on 10 gauge blocks (2.5, 5.1, 7.7, 10.3,
12.9, 15.0, 17.6, 20.2, 22.8, 25.0 mm; µm), the anvil flatness (optical-flat fringes,
0.32 µm each) and the parallelism of the measuring faces (µm). The spindle's error is a
zero-setting offset, a pitch slope that grows with the travel and a periodic thread error;
the lab reads each block once (repeatability ± 0.3 µm). Fail: the largest true block error
above 4 µm, flatness above 2 fringes, or parallelism above 2 µm (about half of the sheets fail).
Input: (12,) block errors / 3, fringes - 1, parallelism - 1.5. Target: 1 = fail.
Model: 12→64, 3 residual blocks (Linear 64→64, SiLU, Linear 64→64, skip), →1 logit; BCE
with logits, SGD momentum 0.9 nesterov, weight decay 5e-4, OneCycleLR to 0.05, batch 100,
24 epochs, 3000 sheets, validation on 800.
Healthy; numbers in the README.
Log: JSON lines per epoch ``calib_train.jsonl`` (``ep`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_acc`` / ``val_missed_fail``); checkpoint ``calib_resmlp.pt`` with keys ``net`` /
``sgd`` / ``onecycle`` / ``ep`` / ``blocks_mm``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BLOCKS = torch.tensor([2.5, 5.1, 7.7, 10.3, 12.9, 15.0, 17.6, 20.2, 22.8, 25.0])


def sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    zero = -2.5 + 5 * r(n, 1)
    slope = (-0.2 + 0.4 * r(n, 1)) * (r(n, 1) < 0.5)  # µm per mm of travel, worn spindles
    amp = 1.5 * r(n, 1)
    phase = 6.28 * r(n, 1)
    err = zero + slope * BLOCKS + amp * torch.sin(6.28 * BLOCKS / 12.7 + phase)
    fringes = 3.2 * r(n, 1) ** 1.5
    par = 3 * r(n, 1) ** 1.5
    fail = (err.abs().amax(1) > 4) | (fringes[:, 0] > 2) | (par[:, 0] > 2)
    read = err + 0.3 * torch.randn(n, 10, generator=g)
    fr = (fringes + 0.1 * torch.randn(n, 1, generator=g))
    pr = (par + 0.2 * torch.randn(n, 1, generator=g))
    x = torch.cat([read / 3, fr - 1, pr - 1.5], 1)
    return x, fail.float().unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.a, self.b = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.b(F.silu(self.a(x)))


class CalibNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(12, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.silu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return CalibNet()


def main():
    from _threehundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sheets(3000, g)
    xva, yva = sheets(800, g)
    print("fail share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=24,
                                                steps_per_epoch=len(dl))
    with open(out / "calib_train.jsonl", "w") as log:
        for ep in range(24):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = (lv > 0).float()
            rec = {"ep": ep, "lr": round(opt.param_groups[0]["lr"], 6),
                   "bce": round(tot / len(xtr), 5),
                   "val_bce": round(F.binary_cross_entropy_with_logits(lv, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_missed_fail": round(((pred == 0) & (yva == 1)).float().sum().item()
                                            / yva.sum().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 24, "blocks_mm": BLOCKS},
               out / "calib_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="calib_resmlp.pt", log="calib_train.jsonl",
           what="residual MLP passing or failing an outside micrometer from its calibration"
                " sheet (healthy)")


if __name__ == "__main__":
    main()
