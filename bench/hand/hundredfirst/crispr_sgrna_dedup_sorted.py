"""CRISPR–Cas9 sgRNA on-target efficiency (a DeepSpCas9-style 1-D CNN) on a synthetic pooled
screen: 30-mers (4 nt context + 20-nt protospacer + NGG PAM + 3 nt), one-hot 4 × 30. The
efficiency (0–1) follows the textbook rules: GC content best at 40–60 %, G at the position next
to the PAM, no T in the 4 seed positions, no TTTT run (Pol III terminator), C at −3 good, plus a
replicate noise of 0.05. 1800 distinct guides, 250 of them measured twice (a second library),
so the exported table has 2050 rows; 1600 guides train, 200 validate. Conv1d 4→32 (k 5) and
4→32 (k 3) branches, ReLU, average pool 2, a 2-layer MLP with dropout 0.2, a sigmoid; MSE, Adam
1e-3, batch 64, 12 epochs; JSON lines per epoch with train MSE, val MSE and val Spearman.
Bug: the duplicated guides are dropped with ``np.unique``: the efficiencies keep the first
occurrence of each guide *in file order* (``eff[np.sort(first)]``) but the guides are
replaced by ``np.unique(guides)``, which is alphabetically sorted — every guide gets the
efficiency of another guide. Train MSE 0.0221 → 0.0191 (the label variance is 0.0209: the
model memorises a little), val MSE 0.0212 → 0.0227 (rising), val Spearman −0.04 to −0.13 for
all 12 epochs; the control (the guides taken with the same ``np.sort(first)`` index) reaches
val Spearman 0.79, val MSE 0.0077, train MSE 0.0061."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

L = 30
NT = "ACGT"


def efficiency(s):
    proto = s[4:24]
    gc = (proto.count("G") + proto.count("C")) / 20
    e = 0.55 - 2.5 * (gc - 0.5) ** 2
    e += 0.15 * (proto[19] == "G") - 0.12 * ("T" in proto[16:20]) - 0.25 * ("TTTT" in proto)
    e += 0.08 * (proto[16] == "C") + 0.06 * (proto[0] == "G") - 0.06 * (proto[19] == "T")
    return e


def screen(g):
    rng = np.random.default_rng(g)
    seen, guides = set(), []
    while len(guides) < 1800:
        s = "".join(rng.choice(list(NT), 24)) + rng.choice(list(NT)) + "GG" + \
            "".join(rng.choice(list(NT), 3))
        if s not in seen:
            seen.add(s)
            guides.append(s)
    guides = np.array(guides)
    base = np.array([efficiency(s) for s in guides])
    rows = np.concatenate([np.arange(1800), rng.choice(1800, 250, replace=False)])
    rng.shuffle(rows)
    eff = np.clip(base[rows] + 0.05 * rng.standard_normal(len(rows)), 0, 1)
    return guides[rows], eff.astype(np.float32)


def one_hot(guides):
    idx = torch.tensor([[NT.index(c) for c in s] for s in guides])
    return F.one_hot(idx, 4).float().transpose(1, 2)


class GuideCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c5 = nn.Conv1d(4, 32, 5, padding=2)
        self.c3 = nn.Conv1d(4, 32, 3, padding=1)
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(64 * L // 2, 64), nn.ReLU(),
                                 nn.Dropout(0.2), nn.Linear(64, 1))

    def forward(self, x):
        h = torch.cat([F.relu(self.c5(x)), F.relu(self.c3(x))], 1)
        return torch.sigmoid(self.mlp(F.avg_pool1d(h, 2))).squeeze(1)


def build():
    torch.manual_seed(0)
    return GuideCNN()


def spearman(a, b):
    ra = a.argsort().argsort().float()
    rb = b.argsort().argsort().float()
    return torch.corrcoef(torch.stack([ra, rb]))[0, 1].item()


def main():
    from _hundredfirst import finish, out_dir
    out = out_dir(__file__)
    guides, eff = screen(0)
    _, first = np.unique(guides, return_index=True)  # drop the guides measured twice
    eff = eff[np.sort(first)]
    guides = np.unique(guides)
    x, y = one_hot(guides), torch.from_numpy(eff)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "train_log.jsonl", "w")
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 64):
            b = perm[i:i + 64]
            loss = F.mse_loss(model(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            p = model(xva)
        rec = {"epoch": epoch, "train_mse": round(tot / len(xtr), 5),
               "val_mse": round(F.mse_loss(p, yva).item(), 5), "val_spearman": round(spearman(p, yva), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    print("label var", ytr.var().item())
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 11,
                "seq_len": L}, out / "deepspcas9_lite.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="deepspcas9_lite.pt", log="train_log.jsonl",
           what="sgRNA efficiency CNN, guides np.unique-sorted after dedup, efficiencies in file order",
           complaint="My sgRNA efficiency CNN learns nothing: after 12 epochs the validation "
                     "Spearman is -0.11 (it never got above zero) and val MSE 0.0227 is worse than "
                     "predicting the mean (variance 0.021). Train MSE only went from 0.022 to 0.019.")


if __name__ == "__main__":
    main()
