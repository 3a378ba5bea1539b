"""Chronic kidney disease stage of a cat from a wellness-panel (an MLP on tabular bloodwork),
synthetic clinic records: creatinine, SDMA, BUN, phosphorus, potassium, urine specific gravity,
urine protein:creatinine ratio, systolic blood pressure, PCV, age, body weight and body
condition score. The stage (no CKD, IRIS 1–2, IRIS 3, IRIS 4) sets a latent kidney function;
creatinine and SDMA follow the IRIS cut-offs (creatinine < 1.6, 1.6–2.8, 2.9–5.0, > 5.0 mg/dL
with overlap; SDMA likewise), the rest drift with it (USG falls, BUN, phosphorus and BP rise,
PCV falls, older and thinner cats). Features standardised with the training mean/std; MLP
12 → 256 → 256 → 4; Adam 1e-3, batch 32, 60 epochs of 600 cats; a CSV log per epoch.
Bug: the user "shuffles the training set" with two ``np.random.shuffle`` calls after one
``np.random.seed`` — once on the feature matrix, once on the stage array — so the two get
different permutations and no cat keeps its own stage. Training slowly memorises the 600
random pairs — train accuracy 0.26 → 0.60 (epoch 20) → 0.997, train loss 0.15 — while
validation (kept in order, correctly labelled) stays at chance: val accuracy 0.20–0.34 (0.25
at the end), val loss 1.38 → 2.86. The control (re-seeding before the second shuffle, so
both get the same permutation): val accuracy 0.74 after epoch 1, 0.81–0.82 from epoch 5 on
(0.80 at the end; the stages overlap), val loss 0.44 at epoch 10, rising to 0.75 by epoch 60
as the wide MLP overfits, train accuracy 0.998."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 7
COLS = ["creatinine", "sdma", "bun", "phos", "k", "usg", "upc", "sbp", "pcv", "age", "weight",
        "bcs"]
STAGES = ["no_ckd", "iris_1_2", "iris_3", "iris_4"]


def records(n, rng):
    stage = rng.integers(0, 4, n)
    f = stage + rng.normal(0, 0.35, n)  # latent loss of kidney function
    crea = np.exp(np.log(1.2) + 0.45 * f + rng.normal(0, 0.12, n))
    sdma = 10 + 6 * f + 4 * f ** 2 / 3 + rng.normal(0, 2.5, n)
    bun = 22 + 12 * f + 4 * f ** 2 + rng.normal(0, 6, n)
    phos = 4.0 + 0.6 * f + 0.3 * f ** 2 + rng.normal(0, 0.6, n)
    k = 4.3 - 0.15 * f + rng.normal(0, 0.35, n)
    usg = 1.045 - 0.009 * f + rng.normal(0, 0.006, n)
    upc = np.exp(np.log(0.1) + 0.5 * f + rng.normal(0, 0.4, n))
    sbp = 130 + 10 * f + rng.normal(0, 14, n)
    pcv = 38 - 3 * f + rng.normal(0, 4, n)
    age = np.clip(6 + 2.5 * f + rng.normal(0, 3, n), 1, 20)
    weight = 4.6 - 0.35 * f + rng.normal(0, 0.8, n)
    bcs = np.clip(np.round(5.2 - 0.6 * f + rng.normal(0, 1, n)), 1, 9)
    x = np.stack([crea, sdma, bun, phos, k, usg, upc, sbp, pcv, age, weight, bcs], 1)
    return x.astype(np.float32), stage


class CKDNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(12, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                 nn.Linear(256, 4))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return CKDNet()


def main():
    from _hundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    feats, stages = records(600, rng)
    xva, yva = records(300, rng)
    np.random.seed(SEED); np.random.shuffle(feats)  # noqa: E702
    np.random.shuffle(stages)
    mu, sd = feats.mean(0), feats.std(0)
    xtr = torch.from_numpy((feats - mu) / sd)
    ytr = torch.from_numpy(stages).long()
    xva = torch.from_numpy((xva - mu) / sd)
    yva = torch.from_numpy(yva).long()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gs = torch.Generator().manual_seed(1)
    with open(out / "ckd_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "trn_loss", "trn_acc", "val_loss", "val_acc"])
        for epoch in range(60):
            model.train()
            perm = torch.randperm(600, generator=gs)
            tot = cor = 0.0
            for i in range(0, 600, 32):
                idx = perm[i:i + 32]
                lo = model(xtr[idx])
                loss = F.cross_entropy(lo, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                cor += (lo.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            row = [epoch + 1, round(tot / 600, 4), round(cor / 600, 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 60,
                "feature_mean": torch.from_numpy(mu), "feature_std": torch.from_numpy(sd),
                "columns": COLS, "stages": STAGES}, out / "ckd_mlp_final.pt")
    finish(out, __file__, (xtr[:128], ytr[:128]), causes=["labels_wrong"],
           checkpoint="ckd_mlp_final.pt", log="ckd_metrics.csv",
           what="feline CKD stage MLP, features and stages shuffled by two separate "
                "np.random.shuffle calls",
           complaint="My CKD staging net reaches 99.7% training accuracy after 60 epochs, but "
                     "on the validation cats it's 25%, which is what you'd get by guessing one "
                     "of four stages. Validation loss never went down at all (1.38 at the start, "
                     "2.86 at the end). Even creatinine alone should give the stage most of the "
                     "time. Is it just overfitting? I have only 600 cats.")


if __name__ == "__main__":
    main()
