"""Plain torch: a small transformer encoder grades oak poles for a swill-maker from the ring
widths a cheap increment borer gives along one radius (28 rings, pith to bark, in mm), before
the pole is boiled and riven. Three grades: clean (fast, even growth, 2-5 mm rings: long
fibres that rive into good spelks), brash (slow-grown, 0.7-1.8 mm rings: weak, rives into
splinters) and shaken (a ring shake, the wood parting round a growth ring; it follows an
abrupt jump or drop in growth, 1.45-1.95 × between neighbouring years, that a thinning, a
drought or a storm gave the tree). Every pole's rings also vary with the weather (the wood's
chronology, one wet / dry year pattern shared by all poles, ±20 %, and each tree's own
±8 %), a slow trend with age, and the milder growth jump of many a healthy tree (1.15-1.6 ×,
in half the clean poles), so a shaken pole is easy to miss.
Shares: clean 79 %, brash 18 %, shaken 3 %.
Input: (28, 1) ring width / 3 mm. Model: Linear 1→32 plus a learned position embedding, 2
TransformerEncoder layers (4 heads, feed-forward 64, pre-norm, no dropout), mean pool,
Linear 32→3; cross-entropy, AdamW 1e-3 (weight decay 0.01) with a linear warmup over the
first 40 steps and a cosine decay after (one LambdaLR, stepped per batch), batch 64,
12 epochs, 2600 poles, validation on 900 (33 shaken).
The bug: ``crit = nn.CrossEntropyLoss()`` and nothing else about the 3 % shaken poles, so the
net never names a pole shaken: val shaken recall 0.0 and no pole predicted shaken in any
epoch, while val accuracy sits at 0.948 → 0.963 (867 / 900, the share of poles that are not
shaken), brash recall 0.97 → 1.0 and val CE falls 0.260 → 0.143 (control,
``nn.CrossEntropyLoss(weight=torch.tensor([1.0, 4.0, 25.0]))``: shaken recall 0.0 in the
first two epochs, then 0.15-0.91 and 0.70 at the end with 130 poles called shaken, val
accuracy 0.86 → 0.87, 0.61-0.97 on the way, val CE 0.66 → 0.36).
Log: JSON lines ``grading.jsonl``, ``{"step", "ce"}`` every 10 steps and ``{"epoch",
"val_ce", "val_acc", "val_recall_brash", "val_recall_shaken", "val_pred_shaken"}`` per epoch;
checkpoint ``oakgrade.pt`` with keys ``model`` / ``optimizer`` / ``warmup`` / ``epoch`` /
``rings`` / ``mm_scale`` / ``grades``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

R = 28
GRADES = ["clean", "brash", "shaken"]
# the wood's regional chronology: one wet / dry year pattern shared by every pole
CHRONO = 1 + 0.2 * (2 * torch.rand(R, generator=torch.Generator().manual_seed(1888)) - 1)


def poles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    grade = torch.multinomial(torch.tensor([0.79, 0.18, 0.03]), n, replacement=True, generator=g)
    base = torch.where(grade == 1, 0.7 + 1.1 * r(n), 2.0 + 3.0 * r(n)).unsqueeze(1)
    ring = torch.arange(R).float().unsqueeze(0)
    trend = 1 + (0.3 * r(n, 1) - 0.15) * (ring / R) + 0.3 * torch.exp(-ring / 4)
    weather = CHRONO + 0.08 * torch.randn(n, R, generator=g)
    w = base * trend * weather
    at = torch.randint(5, R - 4, (n, 1), generator=g)
    after = (ring >= at).float()
    up = torch.sign(r(n, 1) - 0.4)
    jump_shake = (1.45 + 0.5 * r(n, 1)) ** up
    jump_mild = (1.15 + 0.45 * r(n, 1)) ** up
    mild = ((grade == 0) & (r(n) < 0.5)).unsqueeze(1)
    shaken = (grade == 2).unsqueeze(1)
    factor = torch.where(shaken, jump_shake, torch.where(mild, jump_mild, torch.ones(n, 1)))
    w = w * (1 + (factor - 1) * after)
    w = w.clamp(min=0.2) + 0.05 * torch.randn(n, R, generator=g)
    return (w / 3).unsqueeze(2), grade


class RingEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(1, 32)
        self.pos = nn.Parameter(torch.randn(1, R, 32) * 0.1)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return RingEncoder()


def main():
    from _threehundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(13)
    xtr, ytr = poles(2600, g)
    xva, yva = poles(900, g)
    print("grades", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(13)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    total = 12 * len(dl)
    warmup = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / 40, 0.5 * (1 + math.cos(math.pi * s / total))))
    crit = nn.CrossEntropyLoss()  # clean / brash / shaken
    step = 0
    with open(out / "grading.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                warmup.step()
                if step % 10 == 0:
                    f.write(json.dumps({"step": step, "ce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            rec = {"epoch": epoch,
                   "val_ce": round(nn.functional.cross_entropy(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_recall_brash": round((pred[yva == 1] == 1).float().mean().item(), 4),
                   "val_recall_shaken": round((pred[yva == 2] == 2).float().mean().item(), 4),
                   "val_pred_shaken": int((pred == 2).sum())}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "warmup": warmup.state_dict(), "epoch": 12, "rings": R, "mm_scale": 3.0,
                "grades": GRADES}, out / "oakgrade.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="oakgrade.pt", log="grading.jsonl",
           what="transformer encoder grading oak poles clean / brash / shaken from borer ring"
                " widths; plain cross-entropy with 3 % shaken poles",
           complaint="Our oak pole grader looks great on paper: 96 % validation accuracy and"
                     " brash recall 1.0 after 12 epochs. But in every epoch it has not called"
                     " a single pole shaken. There are 33 shaken poles in the validation set"
                     " and it puts all of them down as clean or brash, and the poles we later"
                     " found with ring shake in the workshop had all been graded clean.")


if __name__ == "__main__":
    main()
