"""Inflammatory bowel disease vs control from gut microbiome 16S profiles: 256 taxa (genus-level
OTU table) per stool sample. Synthetic cohort: Dirichlet-multinomial read counts (20 000 reads
per sample) around a log-normal baseline community with per-subject variation and many zeros;
IBD samples have depleted butyrate producers (a Faecalibacterium / Roseburia block of 12 taxa),
enriched Proteobacteria / Enterobacteriaceae (8 taxa) and lower diversity, with a spread of
severity so some patients look like controls; 10 % of the training labels are wrong (diagnosis
not confirmed at follow-up). Counts → centred log-ratio (pseudocount 0.5), then standardised
with the training mean and std. An MLP 256 → 64 → 32 → 2 with dropout 0.5 after each hidden
layer, cross-entropy, AdamW 1e-3 (weight decay 1e-2), batch 64, 5 epochs of 2400 samples; a CSV
per epoch (``Epoch``, ``Loss``, ``ValLoss``, ``ValAcc``, ``ValAUC``).
Healthy, with a val loss below the train loss all the way: train loss 0.667, 0.574, 0.501, 0.459,
0.428 vs val loss 0.593, 0.442, 0.389, 0.383, 0.381 (dropout 0.5 and the 10 % wrong labels only
act in training); val accuracy 0.81 → 0.835, val AUC 0.88 → 0.90–0.91 from epoch 2 on (mild IBD
cases overlap the controls, so that is about what the data allow)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_TAXA = 256
BUTYRATE = torch.arange(0, 12)
PROTEO = torch.arange(12, 20)


def cohort(n, g, flip=0.0):
    y = (torch.rand(n, generator=g) < 0.45).long()
    base = torch.randn(N_TAXA, generator=torch.Generator().manual_seed(7)) * 1.5
    logit = base[None] + 0.9 * torch.randn(n, N_TAXA, generator=g)
    sev = y.float() * torch.rand(n, generator=g) * 1.8
    logit[:, BUTYRATE] -= sev[:, None]
    logit[:, PROTEO] += 1.2 * sev[:, None]
    logit = logit * (1 + 0.25 * sev[:, None] / 1.8)  # lower evenness
    p = torch.softmax(logit, 1)
    conc = 200.0
    alpha = torch.distributions.Gamma(conc * p + 1e-3, torch.ones_like(p))
    torch.manual_seed(int(torch.randint(0, 10 ** 6, (1,), generator=g)))
    q = alpha.sample()
    q = q / q.sum(1, keepdim=True)
    counts = torch.distributions.Multinomial(20000, probs=q).sample()
    logc = torch.log(counts + 0.5)
    clr = logc - logc.mean(1, keepdim=True)
    wrong = torch.rand(n, generator=g) < flip
    return clr, torch.where(wrong, 1 - y, y)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(N_TAXA, 64), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 2))


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return (pos[:, None] > neg[None]).float().mean().item()


def main():
    from _hundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cohort(2400, g, flip=0.10)
    xva, yva = cohort(400, g)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    f = open(out / "ibd_mlp_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Loss", "ValLoss", "ValAcc", "ValAUC"])
    for epoch in range(1, 6):
        model.train()
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(tot / 2400, 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4),
                   round(auc(lo[:, 1] - lo[:, 0], yva), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 5,
                "n_taxa": N_TAXA, "clr_mean": mu, "clr_std": sd}, out / "ibd_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ibd_mlp.pth", log="ibd_mlp_log.csv",
           what="MLP on CLR-transformed 16S profiles, IBD vs control, dropout 0.5, 10 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
