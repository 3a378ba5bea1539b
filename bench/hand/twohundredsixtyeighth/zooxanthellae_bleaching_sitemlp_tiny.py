"""Plain torch: a survey-site embedding model says which of 4 scleractinian taxa (Acropora, Pocillopora,
Montipora, Porites) bleached on a transect (multi-label) after a warm season. Inputs: the
survey site id (48 sites, each with its own thermal history and shading) and 6 readings:
degree heating weeks (DHW), peak SST anomaly (°C), depth (m), light at depth (% surface),
current speed (cm/s), days since the last cooling event. Each taxon has its own
heat-stress score (Acropora: DHW x light, eased by current; Pocillopora: SST anomaly with a
mid-depth refuge; Montipora: DHW in shallow water without a cooling event; Porites: only long
heat runs, DHW x days without cooling), shifted by the site's own tolerance for that taxon, and
bleaches past a smooth threshold at the score's median, plus 3 % label flips.
Embedding(48, emb) concatenated with the 6 standardised readings → Linear → ReLU → Linear → 4
logits, BCE-with-logits, Adam 3e-3, batch 16, 25 epochs of 1536 transects, validation on 384
(val BCE, per-taxon F1, micro F1).
The bug: ``EMB, HIDDEN = 2, 3  # only 48 survey sites: keep the model tiny so it can't memorise
them``: four taxa that each need their own threshold, the site effect and the shading / flushing
interactions all squeezed through 3 hidden units. Result: train BCE 0.643 → 0.349,
val BCE 0.601 → 0.351 (train and val together, still creeping down ~0.002 per epoch), micro F1
0.667 → 0.852, Acropora F1 0.79. Control (``EMB, HIDDEN = 8, 64``): train BCE 0.540 → 0.214,
val BCE 0.389 → 0.253 (0.253 from epoch 20), micro F1 0.845 → 0.914, Acropora F1 0.90.
Log: CSV per epoch (``epoch`` / ``train_bce`` / ``val_bce`` / ``f1_acropora`` / ``f1_pocillopora``
/ ``f1_montipora`` / ``f1_porites`` / ``f1_micro``) in ``transects.csv``; checkpoint
``bleaching_model.pt`` with keys ``state_dict`` / ``optim`` / ``epoch`` / ``n_sites`` /
``taxa`` / ``reading_mean`` / ``reading_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N_SITES = 48
TAXA = ["acropora", "pocillopora", "montipora", "porites"]
EMB, HIDDEN = 2, 3  # only 48 survey sites: keep the model tiny so it can't memorise them


def transects(n, g, tol):
    site = torch.randint(0, N_SITES, (n,), generator=g)
    dhw = 12 * torch.rand(n, generator=g)
    sst = 0.5 + 2.5 * torch.rand(n, generator=g)
    depth = 1 + 19 * torch.rand(n, generator=g)
    light = 100 * torch.exp(-0.08 * depth) * (0.5 + 0.5 * torch.rand(n, generator=g))
    current = 40 * torch.rand(n, generator=g)
    cool = 60 * torch.rand(n, generator=g)
    lux = light / 50
    stress = torch.stack([
        dhw * lux - 0.1 * current + tol[site, 0],                       # acropora: heat x light
        2.5 * sst - 0.3 * (depth - 8).abs() + tol[site, 1],              # pocillopora: mid-depth refuge
        0.8 * dhw - 0.35 * depth + 0.04 * cool + tol[site, 2],           # montipora: shallow, no cooling
        0.06 * dhw * cool - 0.12 * current + tol[site, 3]], 1)           # porites: only long heat runs
    p = torch.sigmoid(4 * (stress - stress.median(0).values))
    y = (torch.rand(n, 4, generator=g) < p).float()
    flip = torch.rand(n, 4, generator=g) < 0.03
    y = torch.where(flip, 1 - y, y)
    return site, torch.stack([dhw, sst, depth, light, current, cool], 1), y


class SiteBleaching(nn.Module):
    def __init__(self):
        super().__init__()
        self.site = nn.Embedding(N_SITES, EMB)
        self.mlp = nn.Sequential(nn.Linear(EMB + 6, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 4))

    def forward(self, x):
        return self.mlp(torch.cat([self.site(x[:, 0].long()), x[:, 1:]], 1))


def build():
    torch.manual_seed(0)
    return SiteBleaching()


def f1(pred, y):
    tp = (pred * y).sum(0)
    return 2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1), 2 * tp.sum() / (pred.sum() + y.sum())


def main():
    from _twohundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tol = 1.5 * torch.randn(N_SITES, 4, generator=g)
    str_, rtr, ytr = transects(1536, g, tol)
    sva, rva, yva = transects(384, g, tol)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr = torch.cat([str_[:, None].float(), (rtr - mean) / std], 1)
    xva = torch.cat([sva[:, None].float(), (rva - mean) / std], 1)
    print("bleached share per taxon", ytr.mean(0).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "transects.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_bce", "val_bce"] + [f"f1_{t}" for t in TAXA] + ["f1_micro"])
        for epoch in range(1, 26):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            per, micro = f1((logits > 0).float(), yva)
            row = [epoch, round(tot / len(ytr), 5),
                   round(F.binary_cross_entropy_with_logits(logits, yva).item(), 5)]
            row += [round(v, 4) for v in per.tolist()] + [round(micro.item(), 4)]
            print(row)
            w.writerow(row)
    torch.save({"state_dict": model.state_dict(), "optim": opt.state_dict(), "epoch": 25,
                "n_sites": N_SITES, "taxa": TAXA, "reading_mean": mean, "reading_std": std},
               out / "bleaching_model.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="bleaching_model.pt", log="transects.csv",
           what="scleractinian bleaching multi-label site-embedding model with a 2-d site embedding and"
                " 3 hidden units: too small for 4 taxa and the site effects",
           complaint=("Our bleaching model (which of Acropora / Pocillopora / Montipora / Porites"
                      " bleached on a transect) levels off at micro F1 0.85, Acropora only 0.79;"
                      " train BCE 0.35 and val BCE 0.35 are practically the same, so it is not"
                      " overfitting, and both are still creeping down by ~0.002 an epoch after"
                      " 25 epochs. The survey team expected well above 0.9 from these"
                      " readings. Is the heat-stress data just too noisy?"))


if __name__ == "__main__":
    main()
