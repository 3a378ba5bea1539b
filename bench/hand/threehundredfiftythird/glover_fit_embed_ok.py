"""Plain torch: an embedding model tells a glover's online shop which fit complaints a customer
will have with a given glove, from the hand measurements they typed in, so the shop can
suggest another size before it ships. 4 labels, any number at once: tight across the palm,
loose in the palm, fingers too short, gaping at the wrist. Inputs: palm circumference (cm,
17-26), hand length (cm, 16-22), middle finger (cm, 6.5-9.5), thumb (cm, 5-7.5), wrist
circumference (cm, 14-19), the glove size ordered (6-10 in half sizes), the style (dress,
driving, opera, work, riding, winter lined, cycling, fingerless-free: 8 ids) and the
leather (kid, lambskin, deerskin, peccary, cowhide, goatskin: 6 ids). The rule: a size's
palm is its number in inches, the leather gives 2-9 % (lined styles less), a palm tighter
than the stretched glove is "tight", more than 1.6 cm of slack "loose"; each style cuts its
fingers to a share of the size and a finger 0.4 cm past it is "short"; open-cuffed styles
gap when the wrist is 2.2 cm under the cuff; customers also vary a little in how they measure.
Input: (8,) float: the 6 numbers standardised with the train mean / std, then the style id
and the leather id (the model casts those two to long). Model: Embedding(8, 6) + Embedding(6,
4) beside the numbers → 16 → Linear 64 → ReLU → Linear 64 → ReLU → Linear 4; BCE with
logits, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR over 18 epochs, batch 128, 3000
orders, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``fit_epochs.jsonl`` (``ep`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_exact`` / ``val_f1_tight`` / ``val_f1_short``); checkpoint ``glovefit.pth`` with keys
``weights`` / ``opt_state`` / ``sched_state`` / ``ep`` / ``num_mean`` / ``num_std`` /
``labels``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["tight_palm", "loose_palm", "fingers_short", "wrist_gap"]
STRETCH = torch.tensor([0.07, 0.06, 0.09, 0.05, 0.02, 0.04])  # kid .. goatskin
FINGER = torch.tensor([0.92, 0.90, 0.95, 0.93, 0.88, 0.86, 0.89, 0.80])  # finger cut per style
OPEN_CUFF = torch.tensor([0, 1, 0, 1, 0, 0, 1, 1]).bool()
LINED = torch.tensor([0, 0, 0, 1, 0, 1, 0, 0]).bool()


def orders(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    palm = 17 + 9 * r(n)
    length = 16 + 6 * r(n)
    finger = 0.41 * length + 0.3 * torch.randn(n, generator=g)
    thumb = 0.33 * length + 0.25 * torch.randn(n, generator=g)
    wrist = 0.66 * palm + 1.2 * torch.randn(n, generator=g)
    size = (palm / 2.54 + 1.6 * (r(n) - 0.5)).mul(2).round().div(2).clamp(6, 10)
    style = torch.randint(0, 8, (n,), generator=g)
    leather = torch.randint(0, 6, (n,), generator=g)
    measured = palm + 0.3 * torch.randn(n, generator=g)
    glove_palm = size * 2.54 * (1 + STRETCH[leather] * torch.where(LINED[style], 0.4, 1.0))
    tight = measured > glove_palm
    loose = measured < size * 2.54 - 1.6
    short = finger > FINGER[style] * size + 0.4
    cuff = 0.7 * size * 2.54 + 1.0
    gap = OPEN_CUFF[style] & (wrist < cuff - 2.2)
    y = torch.stack([tight, loose, short, gap], 1).float()
    num = torch.stack([palm, length, finger, thumb, wrist, size], 1)
    return num, style, leather, y


class GloveFit(nn.Module):
    def __init__(self):
        super().__init__()
        self.style = nn.Embedding(8, 6)
        self.leather = nn.Embedding(6, 4)
        self.mlp = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        s, lth = x[:, 6].long(), x[:, 7].long()
        return self.mlp(torch.cat([x[:, :6], self.style(s), self.leather(lth)], 1))


def build():
    torch.manual_seed(0)
    return GloveFit()


def f1(p, y):
    tp = (p & y).sum().item()
    return 2 * tp / max(1, p.sum().item() + y.sum().item())


def main():
    from _threehundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ntr, str_, ltr, ytr = orders(3000, g)
    nva, sva, lva, yva = orders(750, g)
    mean, std = ntr.mean(0), ntr.std(0)
    xtr = torch.cat([(ntr - mean) / std, str_[:, None].float(), ltr[:, None].float()], 1)
    xva = torch.cat([(nva - mean) / std, sva[:, None].float(), lva[:, None].float()], 1)
    print("label rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=18 * len(dl))
    with open(out / "fit_epochs.jsonl", "w") as log:
        for ep in range(18):
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
            p, yb = logits > 0, yva.bool()
            rec = {"ep": ep, "lr": sched.get_last_lr()[0], "bce": tot / len(xtr),
                   "val_bce": F.binary_cross_entropy_with_logits(logits, yva).item(),
                   "val_exact": (p == yb).all(1).float().mean().item(),
                   "val_f1_tight": f1(p[:, 0], yb[:, 0]), "val_f1_short": f1(p[:, 2], yb[:, 2])}
            log.write(json.dumps({k: round(v, 6) for k, v in rec.items()}) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 18, "num_mean": mean, "num_std": std,
                "labels": LABELS}, out / "glovefit.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="glovefit.pth", log="fit_epochs.jsonl",
           what="embedding model (style and leather embeddings + hand measurements) predicting"
                " a glover's four fit complaints, multi-label (healthy)")


if __name__ == "__main__":
    main()
