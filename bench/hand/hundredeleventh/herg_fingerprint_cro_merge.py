"""hERG liability (cardiotoxicity screen): an MLP on 512-bit circular fingerprints predicts
whether a compound blocks the hERG channel (IC50 < 10 µM, pIC50 > 5). Synthetic compounds:
sparse fingerprints (~6 % bits on, with correlated substructure blocks), a pIC50 driven by a
basic amine, lipophilic aromatic bits and a few polar bits that lower it, plus assay noise
(0.15 log units). Data from two sources, 900 compounds each: the in-house patch-clamp table
(``INH-####``) and a CRO's (``CRO-####``), whose structures come in one file sorted by compound
id and whose results in another, most potent first, as the CRO sends them. MLP 512 → 128 → 32
→ 1 (ReLU, dropout 0.3), BCE-with-logits, AdamW 1e-3 (weight decay 0.05), batch 64, 10 epochs
on a random 80/20 split of the merged 1800; a CSV per epoch: epoch, loss, train_acc, val_loss, val_acc, val_auc.
Bug: the CRO's two files are zipped by position (``zip(sorted(cro_structures.items()),
cro_results, strict=True)``: the lengths match, so nothing complains), so all 900 CRO compounds carry the result of some other compound: half the
data set has labels unrelated to the structure (about a fifth of all labels are wrong). Val AUC
0.57 → 0.72 (epoch 5) → 0.68, val accuracy 0.78 at the end (the non-blocker share is 0.77), val
loss 0.51 → 0.47 → 0.71 while train accuracy climbs to 0.96 (loss 0.13); the control (results
sorted by compound id too) reaches val AUC 0.94 (0.93 at epoch 10), val accuracy 0.89–0.91."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

BITS = 512


def compounds(n, g, prefix):
    blocks = torch.rand(n, 32, generator=g) < 0.12  # substructures, 16 bits each
    fp = blocks.repeat_interleave(16, 1) & (torch.rand(n, BITS, generator=g) < 0.5)
    fp = fp | (torch.rand(n, BITS, generator=g) < 0.02)
    fp = fp.float()
    amine, arom, polar = fp[:, 0:16].sum(1), fp[:, 16:64].sum(1), fp[:, 64:112].sum(1)
    pic50 = 4.55 + 0.2 * amine + 0.06 * arom - 0.08 * polar + 0.15 * torch.randn(n, generator=g)
    ids = [f"{prefix}-{i:04d}" for i in range(n)]
    return dict(zip(ids, fp, strict=True)), dict(zip(ids, pic50.tolist(), strict=True))


class HergMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(BITS, 128), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return HergMLP()


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return ((pos[:, None] > neg[None]).float().mean()
            + 0.5 * (pos[:, None] == neg[None]).float().mean()).item()


def main():
    from _hundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    inh_fp, inh_res = compounds(900, g, "INH")
    cro_structures, cro_pic50 = compounds(900, g, "CRO")
    cro_results = sorted(cro_pic50.items(), key=lambda kv: -kv[1])  # most potent first
    xs, ys = [], []
    for cid, fp in inh_fp.items():
        xs.append(fp)
        ys.append(float(inh_res[cid] > 5.0))
    pairs = zip(sorted(cro_structures.items()), cro_results, strict=True)
    for (_cid, fp), (_, pic50) in pairs:
        xs.append(fp)
        ys.append(float(pic50 > 5.0))
    x, y = torch.stack(xs), torch.tensor(ys)
    perm = torch.randperm(len(x), generator=g)
    tr, va = perm[:1440], perm[1440:]
    xtr, ytr, xva, yva = x[tr], y[tr], x[va], y[va]
    print("blocker share", y.mean().item())
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    f = open(out / "herg_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "train_acc", "val_loss", "val_acc", "val_auc"])
    for epoch in range(1, 11):
        model.train()
        order = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0.0
        for i in range(0, len(xtr), 64):
            idx = order[i:i + 64]
            logit = model(xtr[idx])
            loss = F.binary_cross_entropy_with_logits(logit, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += ((logit > 0).float() == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
                   round(F.binary_cross_entropy_with_logits(lo, yva).item(), 4),
                   round(((lo > 0).float() == yva).float().mean().item(), 4), round(auc(lo, yva), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "fp_bits": BITS, "threshold_pic50": 5.0}, out / "herg_mlp_ep10.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="herg_mlp_ep10.pt", log="herg_training.csv",
           what="hERG blocker MLP, CRO structures and results zipped by position (half the "
                "labels belong to other compounds)",
           complaint="Our hERG model is useless on validation: val AUC never gets above 0.72 "
                     "(0.68 after 10 epochs) and val accuracy 0.78 is what you get by calling "
                     "everything a non-blocker (23 % blockers). Training accuracy goes to 0.96 "
                     "while val loss climbs from 0.47 to 0.71. Adding the CRO compounds was "
                     "supposed to help.")


if __name__ == "__main__":
    main()
