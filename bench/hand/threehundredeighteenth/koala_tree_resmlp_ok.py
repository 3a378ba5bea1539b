"""Plain torch: a residual MLP for a koala habitat survey predicts, for one eucalypt tree on
a transect, three signs recorded under the spot-assessment technique (multi-label): koala
scats under the canopy, scratch marks on the trunk, a koala seen in the crown. 9 readings:
species preference rank (0 favoured browse such as tallowwood or forest red gum, 1
secondary, 2 non-food), trunk diameter (cm), height (m), leaf nitrogen (%), leaf FPC
(formylated phloroglucinols, mg/g; koalas avoid high levels), canopy cover (%), distance
to the nearest road (m), to the nearest creek (m), and the koala density of the patch from
last year's scat counts. Scats follow food quality (nitrogen up, FPC down, preferred
species), size and the patch density; scratches follow scats and trunk diameter; a
sighting is rare and needs a used, tall, shaded tree. Inputs standardised (log for
distances).
Linear 9→64 → 3 residual blocks (LayerNorm → linear 64→64 → GELU → linear 64→64, added
back) → LayerNorm → linear 64→3 logits. BCE with logits, RMSprop 1e-3, CosineAnnealingLR
over 24 epochs, batch 128, 2400 trees, validation on 600.
Healthy; numbers in the README.
Log: CSV every 10 optimizer steps ``transect_steps.csv`` (``step`` / ``epoch`` / ``bce``)
and a separate per-epoch CSV ``transect_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc_scats``
/ ``val_acc_scratches`` / ``val_acc_sighted`` / ``lr``), named as the log in the truth;
checkpoint ``tree_resmlp.pt`` with keys ``params`` / ``rmsprop`` / ``cosine`` / ``epoch`` /
``labels`` / ``mu`` / ``sd``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["scats", "scratches", "sighted"]


def trees(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rank = torch.randint(0, 3, (n,), generator=g).float()
    dbh = 15 + 70 * r(n)
    height = 8 + 0.3 * dbh + 4 * torch.randn(n, generator=g)
    nitro = 1.0 + 0.8 * r(n) - 0.15 * rank
    fpc = 2 + 40 * r(n) ** 2 + 5 * rank
    cover = 20 + 70 * r(n)
    road = torch.exp(3 + 4 * r(n))
    creek = torch.exp(2 + 5 * r(n))
    density = 0.05 + 0.6 * r(n) ** 2
    food = 2.2 * (nitro - 1.3) - 0.08 * (fpc - 15) - 1.0 * rank + 0.02 * (dbh - 50)
    zs = food + 4 * (density - 0.2) + 0.3 * torch.log(road / 400) - 0.2 * torch.log(creek / 200)
    scats = (zs + 0.6 * torch.randn(n, generator=g) > 0).float()
    scratch = ((1.5 * scats + 0.04 * (dbh - 50) - 0.8 + 0.7 * torch.randn(n, generator=g)) > 0).float()
    seen = ((scats * (0.1 * (height - 20) + 0.03 * (cover - 50) + 2 * density) - 1.2
             + 0.5 * torch.randn(n, generator=g)) > 0).float()
    x = torch.stack([rank, dbh, height, nitro, fpc, cover, torch.log(road), torch.log(creek), density], 1)
    return x, torch.stack([scats, scratch, seen], 1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.ff(self.norm(h))


class TreeResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 3))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return TreeResMLP()


def main():
    from _threehundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = trees(2400, g)
    rva, yva = trees(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("label rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=24)
    step = 0
    with open(out / "transect_steps.csv", "w", newline="") as fs, \
            open(out / "transect_val.csv", "w", newline="") as fv:
        slog, vlog = csv.writer(fs), csv.writer(fv)
        slog.writerow(["step", "epoch", "bce"])
        vlog.writerow(["epoch", "val_bce", "val_acc_scats", "val_acc_scratches", "val_acc_sighted", "lr"])
        for epoch in range(24):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    slog.writerow([step, epoch, f"{loss.item():.5f}"])
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            acc = ((logit > 0).float() == yva).float().mean(0).tolist()
            row = [F.binary_cross_entropy_with_logits(logit, yva).item(), *acc, lr]
            vlog.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"params": model.state_dict(), "rmsprop": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 24, "labels": LABELS, "mu": mu, "sd": sd},
               out / "tree_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tree_resmlp.pt", log="transect_val.csv",
           what="residual MLP, multi-label koala signs (scats, scratches, sighting) under a"
                " surveyed eucalypt (healthy)")


if __name__ == "__main__":
    main()
