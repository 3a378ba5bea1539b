"""Plain torch: a residual MLP flags defects on whole cashew kernels coming off the peeling
line, from the 10 numbers the optical sorter measures per kernel (L*, a*, b* colour of the
two faces, the spread of colour across the face, the share of dark pixels, length, width,
a kernel-outline irregularity score, and near-infrared reflectance at 970 nm). Four
labels, any number per kernel (multi-label): scorched (over-roasted in the shelling drum:
dark, reddish), testa left on (brown patches: high colour spread, dark share), split or
broken (outline irregular, short for its width), and immature / shrivelled (light, low NIR
moisture band, small). Each defect comes from a hidden kernel state with its own noise,
so the classes overlap.
Input: (10,) standardised with the train mean / std. Model: linear 10→64, 3 residual blocks
(LayerNorm → linear 64→64 → GELU → linear, added back), LayerNorm → linear 64→4;
BCEWithLogitsLoss, AdamW 2e-3 (weight decay 0.02) with a OneCycleLR over 14 epochs, batch
100, 2000 kernels, validation on 500.
Healthy; numbers in the README.
Log: JSON lines per epoch ``sorter_fit.jsonl`` (``epoch``, ``lr``, ``bce_train``,
``bce_val``, ``f1_val`` per label and ``exact_match_val``); checkpoint ``kernel_resmlp.pt``
with keys ``weights`` / ``adamw`` / ``onecycle`` / ``epoch`` / ``x_mean`` / ``x_std`` /
``labels``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["scorched", "testa_on", "split", "immature"]


def kernels(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    roast = r(n) ** 2 * 1.4  # over-roast degree
    testa = (r(n) < 0.25).float() * (0.3 + 0.7 * r(n))
    crack = r(n) ** 3 * 1.3
    ripe = 1 - 0.8 * (r(n) < 0.2).float() * r(n)
    L1 = 78 - 14 * roast - 10 * testa + 4 * (1 - ripe) + 1.5 * z(n)
    L2 = 77 - 12 * roast - 6 * testa + 4 * (1 - ripe) + 1.5 * z(n)
    a = 2 + 5 * roast + 3 * testa + 0.8 * z(n)
    b = 22 + 4 * roast + 2 * testa - 5 * (1 - ripe) + 1.0 * z(n)
    spread = 2 + 9 * testa + 2 * roast + 0.8 * z(n)
    dark = 0.02 + 0.25 * testa + 0.1 * roast ** 2 + 0.02 * z(n)
    length = (24 * ripe + 2 * z(n)) * (1 - 0.35 * crack.clamp(max=1))
    width = 14 * ripe + 1.0 * z(n)
    irreg = 0.1 + 0.8 * crack + 0.08 * z(n)
    nir = 0.4 + 0.2 * ripe - 0.05 * roast + 0.02 * z(n)
    x = torch.stack([L1, L2, a, b, spread, dark, length, width, irreg, nir], 1)
    y = torch.stack([roast > 0.6, testa > 0.45, crack > 0.5, ripe < 0.75], 1).float()
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class KernelResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(10, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return KernelResMLP()


def main():
    from _threehundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = kernels(2000, g)
    xva, yva = kernels(500, g)
    print("label shares", ytr.mean(0))
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    epochs = 14
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.02)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=epochs * len(dl))
    with open(out / "sorter_fit.jsonl", "w") as log:
        for ep in range(epochs):
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
            p = (lv > 0).float()
            tp, fp, fn = (p * yva).sum(0), (p * (1 - yva)).sum(0), ((1 - p) * yva).sum(0)
            f1 = 2 * tp / (2 * tp + fp + fn).clamp(min=1)
            row = {"epoch": ep, "lr": opt.param_groups[0]["lr"], "bce_train": tot / len(xtr),
                   "bce_val": F.binary_cross_entropy_with_logits(lv, yva).item(),
                   **{f"f1_val_{k}": round(f1[i].item(), 4) for i, k in enumerate(LABELS)},
                   "exact_match_val": (p == yva).all(1).float().mean().item()}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": epochs, "x_mean": mu, "x_std": sd,
                "labels": LABELS}, out / "kernel_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="kernel_resmlp.pt", log="sorter_fit.jsonl",
           what="residual MLP flagging four defects (multi-label) on cashew kernels from optical"
                " sorter readings (healthy)")


if __name__ == "__main__":
    main()
