"""Plain torch: an embedding model predicts the bending stiffness (modulus of elasticity, MOE)
of a spar blank for a sparmaker, so the blanks for a mast's lower panel (stiffest) and the
boom can be picked before the glue-up. Stiffness follows wood science: each species has its
clear-wood MOE at 12 % moisture (Sitka spruce 10.8 GPa, Douglas fir 13.4, Norway spruce 10.0,
western red cedar 7.7, larch 12.9), scaled by the density ratio to the species mean to the
power 1.3, by the growth site (each of 16 timber suppliers, a forest with its own
climate, ±12 %), by the saw pattern (quarter-sawn 1.0, rift 0.96, flat-sawn 0.9 in the
stave's bending direction), by the slope of grain (Hankinson, E_par / E_perp = 20) and by
moisture (-1.5 % per point above 12 %); a 5 % scatter.
Inputs: species id, supplier id, saw pattern id (each its own embedding, 4 / 6 / 2 wide),
and density ratio, rings per 25 mm, slope of grain 1 in X, moisture % (standardised).
Model: embeddings + numbers → Linear 16→64, ReLU, Linear 64→64, ReLU, Linear 64→1 (MOE in
GPa / 10 - 1); MSE, AdamW 3e-3 (weight decay 1e-4) with CosineAnnealingLR over 25 epochs,
batch 256, 4000 blanks, validation on 1000.
Healthy; numbers in the README.
Log: JSON lines, one per epoch ``moe_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_gpa`` / ``val_r2``); checkpoint ``moe_embed.pt`` with keys
``embedder`` / ``optim`` / ``sched`` / ``epoch`` / ``species`` / ``num_mean`` /
``num_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["sitka_spruce", "douglas_fir", "norway_spruce", "western_red_cedar", "larch"]
E_CLEAR = torch.tensor([10.8, 13.4, 10.0, 7.7, 12.9])
SUPPLIERS = 16
PATTERN = torch.tensor([1.0, 0.96, 0.9])


def blanks(n, g, site):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 5, (n,), generator=g)
    sup = torch.randint(0, SUPPLIERS, (n,), generator=g)
    pat = torch.multinomial(torch.tensor([0.3, 0.3, 0.4]), n, replacement=True, generator=g)
    dens = 0.8 + 0.4 * r(n)  # density / species mean
    rings = 4 + 14 * r(n) + 4 * (dens - 1)
    slope = 10 + 30 * r(n)
    mc = 9 + 8 * r(n)
    theta = torch.atan(1 / slope)
    hank = 1 / (torch.cos(theta) ** 2 + 20 * torch.sin(theta) ** 2)
    moe = E_CLEAR[sp] * dens ** 1.3 * site[sup] * PATTERN[pat] * hank
    moe = moe * (1 - 0.015 * (mc - 12).clamp(min=0)) * (1 + 0.05 * torch.randn(n, generator=g))
    num = torch.stack([dens, rings, slope, mc], 1)
    return torch.stack([sp, sup, pat], 1), num, (moe / 10 - 1).unsqueeze(1)


class MOEEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.species = nn.Embedding(5, 4)
        self.supplier = nn.Embedding(SUPPLIERS, 6)
        self.pattern = nn.Embedding(3, 2)
        self.mlp = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, ids, num):
        z = torch.cat([self.species(ids[:, 0]), self.supplier(ids[:, 1]),
                       self.pattern(ids[:, 2]), num], 1)
        return self.mlp(z)


def build():
    torch.manual_seed(0)
    return MOEEmbed()


def main():
    from _fourhundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    site = 1 + 0.12 * (2 * torch.rand(SUPPLIERS, generator=g) - 1)
    tr = blanks(4000, g, site)
    va = blanks(1000, g, site)
    mu, sd = tr[1].mean(0), tr[1].std(0)
    ids_tr, num_tr, ytr = tr[0], (tr[1] - mu) / sd, tr[2]
    ids_va, num_va, yva = va[0], (va[1] - mu) / sd, va[2]
    yvar = yva.var().item()
    print("MOE GPa", (10 * (ytr + 1)).mean().item(), "target var", yvar)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25)
    with open(out / "moe_fit.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            perm = torch.randperm(len(ytr))
            tot = 0.0
            for i in range(0, len(perm), 256):
                idx = perm[i:i + 256]
                loss = F.mse_loss(model(ids_tr[idx], num_tr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pv = model(ids_va, num_va)
            vmse = F.mse_loss(pv, yva).item()
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 8),
                   "train_mse": round(tot / len(perm), 6), "val_mse": round(vmse, 6),
                   "val_mae_gpa": round(10 * (pv - yva).abs().mean().item(), 5),
                   "val_r2": round(1 - vmse / yvar, 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
            sched.step()
    torch.save({"embedder": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 25, "species": SPECIES,
                "num_mean": mu, "num_std": sd}, out / "moe_embed.pt")
    finish(out, __file__, {"inputs": ids_va[:64], "numbers": num_va[:64],
                           "targets": yva[:64]},
           causes=[], checkpoint="moe_embed.pt", log="moe_fit.jsonl",
           what="embedding model (species / supplier / saw pattern) predicting a spar blank's"
                " bending stiffness (healthy)")


if __name__ == "__main__":
    main()
