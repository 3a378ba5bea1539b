"""Plain torch: a residual MLP warns a harp technician which gut strings on a concert pedal
harp are likely to break within the month, so they are changed before a performance rather
than during one. Per string (7 inputs): its number from the top (1-47; gut on 5-33), the
gauge (mm), the working tension as a share of the gut's breaking load, the age in months, the
hall's relative-humidity swing over the week (%), the harpist's playing hours a week, and
retunings a day. Gut fails by fatigue and by drying: the hazard grows with the tension share
(steeply above 0.6), with age (fibres fray after ~6 months), with humidity swings (the gut
stretches and shrinks), with retuning and with playing; the label is whether the modelled
monthly break risk passes 50 % with a little workshop noise (about 37 % break).
Input: (7,) standardised with the train mean / std. Model: Linear 7→128, 3 residual blocks
(x + Linear 128→128, ReLU, Linear 128→128), ReLU, Linear 128→1 (logit); BCE-with-logits,
AdamW 1e-3 (weight decay 1e-4), batch 256, 30 epochs, 6000 strings, validation on 1500.
The bug: the layers are initialised by a hand-written ``init_weights`` with
``nn.init.normal_(m.weight, mean=0.0, std=1.0)`` (unit-variance weights on 128-wide layers
instead of ~1/√fan-in), so the residual stream grows ~10× per layer and the first logits
are in the millions: train BCE 8.6e5 → 7.2e3, val BCE 3.2e5 → 9.9e4, mean |logit| on the
validation set 8.0e6 → 3.6e6, val accuracy 0.883 → 0.888, break recall 0.79 → 0.83
(control, the ``model.apply(init_weights)`` line removed, PyTorch's default init: train BCE
0.319 → 0.132, val BCE 0.209 → 0.147, val accuracy 0.907 → 0.939, recall 0.87 → 0.89).
Log: CSV per epoch ``gut_strings.csv`` (``ep`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``val_recall_break``); checkpoint ``gutbreak_resmlp.pt`` with keys ``params`` / ``adamw`` /
``ep`` / ``mean`` / ``std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def strings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    num = torch.randint(5, 34, (n,), generator=g).float()
    gauge = 0.7 + 1.6 * (num - 5) / 28 + 0.05 * torch.randn(n, generator=g)
    share = 0.35 + 0.4 * r(n)
    age = 18 * r(n) ** 1.3
    rh = 5 + 35 * r(n)
    hours = 4 + 30 * r(n)
    retune = torch.randint(0, 6, (n,), generator=g).float()
    hz = (8 * torch.clamp(share - 0.6, min=0) + 2.5 * share + 0.12 * torch.clamp(age - 6, min=0)
          + 0.04 * age + 0.03 * rh * (0.5 + share) + 0.02 * hours + 0.12 * retune
          - 0.3 * (gauge - 1.5))
    y = (hz + 0.25 * torch.randn(n, generator=g) > 4.0).float()
    return torch.stack([num, gauge, share, age, rh, hours, retune], 1), y.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class GutResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 128)
        self.blocks = nn.Sequential(*[Block(128) for _ in range(3)])
        self.out = nn.Linear(128, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=1.0)  # gaussian init for the linear layers
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = GutResMLP()
    model.apply(init_weights)
    return model


def main():
    from _threehundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = strings(6000, g)
    rva, yva = strings(1500, g)
    print("break share", ytr.mean().item())
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    with open(out / "gut_strings.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["ep", "bce", "val_bce", "val_acc", "val_recall_break"])
        for ep in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            row = [tot / len(xtr), F.binary_cross_entropy_with_logits(logit, yva).item(),
                   (pred == yva).float().mean().item(), pred[yva == 1].mean().item()]
            log.writerow([ep] + [f"{v:.6g}" for v in row])
            print(ep, [round(v, 5) for v in row], logit.abs().mean().item())
    torch.save({"params": model.state_dict(), "adamw": opt.state_dict(), "ep": 30,
                "mean": mu, "std": sd}, out / "gutbreak_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="gutbreak_resmlp.pt", log="gut_strings.csv",
           what="residual MLP flagging harp gut strings likely to break within the month;"
                " unit-variance normal init on 128-wide layers",
           complaint="String-break predictor for our gut strings: the very first epoch's"
                     " training loss is 856,620 and validation BCE 320,036. After 30 epochs train"
                     " BCE is still around 7,000 and validation 99,000, accuracy stuck near"
                     " 0.89, and the raw outputs are in the millions, so every string is either"
                     " 'certain to break' or 'certain to hold'.")


if __name__ == "__main__":
    main()
