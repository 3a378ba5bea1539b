"""Plain torch: a residual MLP flags a reedcutter's bundles of water reed (Phragmites) at the
stack by the faults a thatcher would reject them for, several at once (multi-label): short
(stems under 1.5 m, ridge work only), coarse (butts over 8 mm), wet (over 20 % moisture, will
heat and rot in the stack), leafy (over 15 % flag leaf left on: cut before the leaves fell)
and brittle (over 10 % broken stems: frost-bitten or over-dry). Each bundle's true values
come from its bed (fresh or brackish: brackish reed is shorter and finer), the harvest
month (December-April; leaf falls through winter, spring cutting dries the stems and
breaks more) and the weather before cutting (rain days, hard frost nights); the cutter's
gauge readings of them (8 inputs: length, butt diameter, moisture, leaf share, broken share,
month, rain days, frost nights) carry measurement noise, so the flags near a threshold are
fuzzy. Input: (8,) standardised with the train mean / std.
Model: Linear 8→64, 3 pre-LayerNorm residual blocks (LN, 64→128, GELU, 128→64), LN, Linear
64→5; BCE-with-logits, AdamW 2e-3 (weight decay 0.01) with OneCycleLR, batch 128, 24
epochs, 3000 bundles, validation on 600.
Healthy; numbers in the README.
Log: one JSON line per epoch ``reedgrade.jsonl`` (``epoch`` / ``lr`` / ``train_bce`` /
``val_bce`` / ``val_macro_f1`` / ``val_exact``); checkpoint ``reedgrade.pth`` with keys
``weights`` / ``opt_state`` / ``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` /
``faults``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["short", "coarse", "wet", "leafy", "brittle"]


def bundles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    brackish = (r(n) < 0.35).float()
    month = (r(n) * 5).floor()  # 0 = December ... 4 = April
    rain = (12 * r(n) ** 1.5).round()
    frost = (8 * r(n) ** 2).round() * (month < 3).float()
    length = 1.9 - 0.45 * brackish + 0.25 * torch.randn(n, generator=g)
    butt = 6.8 - 1.2 * brackish + 1.2 * torch.randn(n, generator=g)
    moist = 13 + 1.1 * rain - 1.2 * month + 3 * torch.randn(n, generator=g)
    leaf = (26 - 6 * month + 4 * torch.randn(n, generator=g)).clamp(min=0)
    broken = (2 + 1.3 * frost + 2.2 * (month - 2).clamp(min=0) + 2.5 * torch.randn(n, generator=g)).clamp(min=0)
    y = torch.stack([length < 1.5, butt > 8, moist > 20, leaf > 15, broken > 10], 1).float()
    x = torch.stack([length + nz(0.05), butt + nz(0.3), moist + nz(1.0), leaf + nz(1.5),
                     broken + nz(1.0), month, rain, frost], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.ln = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.ln(x))


class ReedGrader(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 5))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return ReedGrader()


def main():
    from _threehundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = bundles(3000, g)
    rva, yva = bundles(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("fault rates", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    epochs = 24
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=epochs * len(dl))
    with open(out / "reedgrade.jsonl", "w") as f:
        for epoch in range(epochs):
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
            tp = (pred * yva).sum(0)
            f1 = 2 * tp / (pred.sum(0) + yva.sum(0)).clamp(min=1)
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 8),
                   "train_bce": round(tot / len(xtr), 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_macro_f1": round(f1.mean().item(), 6),
                   "val_exact": round((pred == yva).all(1).float().mean().item(), 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": epochs, "feat_mean": mu,
                "feat_std": sd, "faults": FAULTS}, out / "reedgrade.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="reedgrade.pth", log="reedgrade.jsonl",
           what="residual MLP flagging a reedcutter's water-reed bundles as short / coarse /"
                " wet / leafy / brittle, multi-label (healthy)")


if __name__ == "__main__":
    main()
