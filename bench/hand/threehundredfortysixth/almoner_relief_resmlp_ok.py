"""Plain torch: a residual MLP gives a city hospital almoner's office a first reading of which
kinds of help a patient's household qualifies for (multi-label, 5 labels), before the
almoner's own visit: free treatment (income per head after rent under 12 s a week), milk
tokens (a child under five and under 15 s a head), a coal allowance (October to March, a
pensioner or a TB patient in the house, and under 14 s a head), a convalescent home place
(more than 3 weeks in the ward, or TB), a boots and clothing grant (children at school and
under 10 s a head). The office applies its scale with some give at the edges (the thresholds
blur by about a shilling). Inputs (10): weekly income, rent, adults, children under five,
school children, pensioners, month (as cos / sin), weeks in the ward, TB (0/1); standardised
with the train mean / std. Model: Linear 10→64, 3 residual blocks (LayerNorm, Linear 64→128,
GELU, Linear 128→64), LayerNorm, Linear 64→5; BCE with logits, AdamW 1e-3 (weight decay
1e-2) with CosineAnnealingLR over 24 epochs, batch 128, 3000 households, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``relief_epochs.jsonl`` (``epoch`` / ``lr`` / ``train_bce`` /
``val_bce`` / ``val_exact`` / ``val_f1`` per label); checkpoint ``relief_resmlp.pt`` with keys
``weights`` / ``adamw`` / ``cosine`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``labels``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["free_treatment", "milk_tokens", "coal", "convalescent", "boots"]


def households(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ri = lambda lo, hi: torch.randint(lo, hi, (n,), generator=g).float()  # noqa: E731
    adults, under5, school, pens = ri(1, 4), ri(0, 3), ri(0, 5), ri(0, 3)
    income = 20 + 90 * r(n) ** 1.2 + 8 * pens
    rent = 5 + 15 * r(n)
    month = ri(1, 13)
    weeks = 8 * r(n) ** 2
    tb = (r(n) < 0.12).float()
    head = (income - rent) / (adults + under5 + school + pens)
    blur = lambda: torch.randn(n, generator=g)  # noqa: E731
    winter = ((month >= 10) | (month <= 3)).float()
    y = torch.stack([
        head + blur() < 12,
        (under5 > 0) & (head + blur() < 15),
        (winter > 0) & ((pens > 0) | (tb > 0)) & (head + blur() < 14),
        (weeks + 0.3 * blur() > 3) | (tb > 0),
        (school > 0) & (head + blur() < 10)], 1).float()
    ang = 2 * math.pi * month / 12
    x = torch.stack([income, rent, adults, under5, school, pens, torch.cos(ang), torch.sin(ang),
                     weeks, tb], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class ReliefNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(10, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.norm = nn.LayerNorm(64)
        self.out = nn.Linear(64, 5)

    def forward(self, x):
        return self.out(self.norm(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return ReliefNet()


def main():
    from _threehundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = households(3000, g)
    rva, yva = households(750, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("label rates", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=24)
    with open(out / "relief_epochs.jsonl", "w") as log:
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            tp = (pred * yva).sum(0)
            f1 = 2 * tp / (pred.sum(0) + yva.sum(0)).clamp(min=1)
            rec = {"epoch": epoch, "lr": round(lr, 8), "train_bce": round(tot / len(xtr), 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(logits, yva).item(), 6),
                   "val_exact": round((pred == yva).all(1).float().mean().item(), 6),
                   "val_f1": {k: round(v, 4) for k, v in zip(LABELS, f1.tolist())}}  # noqa: B905
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 24, "x_mean": mean, "x_std": std,
                "labels": LABELS}, out / "relief_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="relief_resmlp.pt", log="relief_epochs.jsonl",
           what="residual MLP giving the almoner's office which of 5 kinds of help a patient's"
                " household qualifies for (multi-label, healthy)")


if __name__ == "__main__":
    main()
