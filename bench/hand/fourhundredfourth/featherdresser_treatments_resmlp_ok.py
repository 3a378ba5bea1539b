"""Plain torch: a residual MLP tells a featherdresser which dressing steps an incoming lot of
feathers needs (multi-label, 5 steps): wash (dirt score over 0.45 or oil over 3.5 % of dry
weight), bleach (the order's lightness L* more than 12 above the lot's), dye (the order's
hue more than 25° from the lot's, or the order is darker than the lot by more than 8 L*),
curl (the order's curl more than 20° above the barbs' natural curl, for any kind but
marabou, which is never curled) and strip (hackles and saddles longer than 22 cm for
trimming orders). The lot's numbers come from the intake bench (dirt score, oil %, L*, hue,
curl, length, feather kind) and the order card (L*, hue, curl, trim); the bench is a little
noisy, so lots near a threshold go either way.
Input: 12 standardised numbers (one-hot kind). Model: Linear 12→64, 3 residual blocks
(x + Linear(ReLU(Linear(x)))), ReLU, Linear 64→5 (logits); BCE with logits, AdamW 2e-3
(weight decay 1e-4) with OneCycleLR, batch 50, 14 epochs, 2500 lots, validation on 500.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``dress_epochs.jsonl`` (``epoch`` / ``lr`` / ``bce`` /
``val_bce`` / ``val_exact`` / ``val_f1_macro`` / ``val_f1_dye``); checkpoint
``dress_resmlp.pt`` with keys ``model`` / ``optim`` / ``sched`` / ``epoch`` / ``feat_mu`` /
``feat_sd`` / ``steps``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = ["wash", "bleach", "dye", "curl", "strip"]


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    kind = torch.randint(0, 4, (n,), generator=g)  # hackle, saddle, plume, marabou
    dirt, oil = r(n), 1 + 5 * r(n)
    lot_l, lot_h = 40 + 50 * r(n), 360 * r(n)
    curl, length = 10 * r(n), 8 + 30 * r(n)
    ord_l, ord_h, ord_curl, trim = 30 + 65 * r(n), 360 * r(n), 60 * r(n), (r(n) < 0.5).float()
    hue_gap = torch.minimum((ord_h - lot_h).abs(), 360 - (ord_h - lot_h).abs())
    y = torch.stack([
        ((dirt + nz(0.03)) > 0.45) | ((oil + nz(0.15)) > 3.5),
        (ord_l - lot_l + nz(1.5)) > 12,
        ((hue_gap + nz(3)) > 25) | ((lot_l - ord_l + nz(1.5)) > 8),
        ((ord_curl - curl + nz(2)) > 20) & (kind != 3),
        (kind <= 1) & ((length + nz(0.8)) > 22) & (trim > 0),
    ], 1).float()
    x = torch.stack([dirt, oil, lot_l, lot_h, curl, length, ord_l, ord_h, ord_curl, trim], 1)
    x = torch.cat([x, F.one_hot(kind, 4).float()[:, :2]], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class DressNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(12, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 5)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return DressNet()


def f1(pred, y):
    tp = (pred * y).sum(0)
    return 2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _fourhundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lots(2500, g)
    xva, yva = lots(500, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("label rates", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=14 * len(dl))
    with open(out / "dress_epochs.jsonl", "w") as log:
        for epoch in range(14):
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
                logits = model(xva)
            pred = (logits > 0).float()
            per = f1(pred, yva)
            row = {"epoch": epoch, "lr": round(opt.param_groups[0]["lr"], 8),
                   "bce": round(tot / len(xtr), 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_exact": round((pred == yva).all(1).float().mean().item(), 6),
                   "val_f1_macro": round(per.mean().item(), 6), "val_f1_dye": round(per[2].item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 14, "feat_mu": mu, "feat_sd": sd, "steps": STEPS}, out / "dress_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="dress_resmlp.pt", log="dress_epochs.jsonl",
           what="residual MLP naming the dressing steps (wash / bleach / dye / curl / strip) a"
                " lot of feathers needs, multi-label (healthy)")


if __name__ == "__main__":
    main()
