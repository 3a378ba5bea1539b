"""Plain torch: an embedding model tags the defects a QC inspector will find in a lot of
cured, polished turmeric fingers (multi-label, 6 tags: mould, insect bore, immature /
light, over-boiled, excess bits and chips, shrivelled), from the curing-yard record, so
risky lots go to the inspector first. Inputs: the farm (one of 40, an ``nn.Embedding``
of 8, each farm has its own storage and hygiene habits), the variety (one of 5, an
embedding of 4), and 7 numbers: boil time (min), drying days, rain days while drying,
final moisture (%), days in store, polishing drum time (min), rhizome age at harvest
(months). Mould follows wet drying and high moisture, bore follows long storage at dirty
farms, immature follows young rhizomes, over-boiled long boils, chips long polishing,
shrivelled long drying of young rhizomes.
Input: (9,) float, [farm id, variety id, the 7 numbers standardised with the train mean / std].
Model: [farm 8 | variety 4 | numbers 7] → 64 → ReLU → 64 → ReLU → 6 logits;
BCEWithLogits, RMSprop 1e-3, batch 100, 20 epochs, 3000 lots, 600 held out.
The bug: the tag matrix is filled from the inspectors' sheet (one row per finding, about
a third of the findings written down twice by two inspectors) with
``index_put_(..., accumulate=True)``, so a tag seen twice is a target of 2.
BCEWithLogits takes it without a word; those logits are pushed up without end, the train
loss goes negative (0.426 → -8.35) and the net flags tags on lots that do not have them:
val BCE on the 0/1 tags 0.335 → 4.04, val F1 0.80, precision 0.76 → 0.69, recall 0.95
(control, ``accumulate=False``: train 0.450 → 0.145, val BCE 0.336 → 0.168, F1 0.868,
precision 0.86, recall 0.88).
Log: CSV per epoch ``qc_tags.csv`` (``ep``, ``loss``, ``val_bce``, ``val_f1``,
``val_precision``, ``val_recall``); checkpoint ``finger_tagger.pt`` with keys ``model`` /
``rmsprop`` / ``ep`` / ``tag_names`` / ``num_mean`` / ``num_std``."""
import csv

import torch
import torch.nn as nn

TAGS = ["mould", "insect_bore", "immature", "over_boiled", "chips", "shrivelled"]


def yard(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fg = torch.Generator().manual_seed(7)
    dirt = torch.rand(40, generator=fg)  # each farm's storage hygiene
    farm = torch.randint(0, 40, (n,), generator=g)
    var = torch.randint(0, 5, (n,), generator=g)
    boil = 30 + 60 * r(n)
    dry = 8 + 14 * r(n)
    rain = dry * 0.4 * r(n)
    moist = 8 + 6 * r(n) + 0.2 * rain
    store = 200 * r(n)
    polish = 10 + 50 * r(n)
    age = 7 + 3 * r(n) + 0.3 * var
    logit = torch.stack([
        0.5 * rain + 0.8 * (moist - 11) - 3,
        0.02 * store * (0.3 + dirt[farm]) - 2.5,
        2.5 * (8.5 - age),
        0.12 * (boil - 70) + 0.3 * (var == 2).float(),
        0.12 * (polish - 45),
        0.3 * (dry - 16) + 1.2 * (8.5 - age) - 1], 1)
    tags = (logit + 0.5 * torch.randn(n, 6, generator=g) > 0).float()
    num = torch.stack([boil, dry, rain, moist, store, polish, age], 1)
    # the inspectors' sheet: one row per finding, some findings written twice
    lot, code = tags.nonzero(as_tuple=True)
    twice = torch.rand(len(lot), generator=g) < 0.35
    lot, code = torch.cat([lot, lot[twice]]), torch.cat([code, code[twice]])
    return farm, var, num, lot, code


class FingerTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.farm = nn.Embedding(40, 8)
        self.var = nn.Embedding(5, 4)
        self.mlp = nn.Sequential(nn.Linear(19, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 6))

    def forward(self, x):  # x: [farm id, variety id, 7 standardised numbers]
        farm, var = x[:, 0].long(), x[:, 1].long()
        return self.mlp(torch.cat([self.farm(farm), self.var(var), x[:, 2:]], 1))


def build():
    torch.manual_seed(0)
    return FingerTagger()


def tag_matrix(n, lot, code):
    t = torch.zeros(n, len(TAGS))
    t.index_put_((lot, code), torch.ones(len(lot)), accumulate=True)  # one tag per finding
    return t


def main():
    from _threehundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, vtr, ntr, ltr, ctr = yard(3000, g)
    fva, vva, nva, lva, cva = yard(600, g)
    ytr = tag_matrix(3000, ltr, ctr)
    yva01 = torch.zeros(600, len(TAGS))
    yva01[lva, cva] = 1.0  # what the inspector will find, 0/1
    mean, std = ntr.mean(0), ntr.std(0)
    xtr = torch.cat([ftr[:, None].float(), vtr[:, None].float(), (ntr - mean) / std], 1)
    xva = torch.cat([fva[:, None].float(), vva[:, None].float(), (nva - mean) / std], 1)
    print("tag rates", yva01.mean(0), "max target", ytr.max().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    bce = nn.BCEWithLogitsLoss()
    with open(out / "qc_tags.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ep", "loss", "val_bce", "val_f1", "val_precision", "val_recall"])
        for ep in range(20):
            model.train()
            perm = torch.randperm(3000)
            tot = 0.0
            for i in range(0, 3000, 100):
                idx = perm[i:i + 100]
                loss = bce(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p = (lv > 0).float()
            tp = (p * yva01).sum()
            prec, rec = (tp / p.sum().clamp(min=1)).item(), (tp / yva01.sum()).item()
            row = [ep, round(tot / 3000, 5), round(bce(lv, yva01).item(), 5),
                   round(2 * prec * rec / max(prec + rec, 1e-9), 4), round(prec, 4), round(rec, 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "rmsprop": opt.state_dict(), "ep": 20,
                "tag_names": TAGS, "num_mean": mean, "num_std": std}, out / "finger_tagger.pt")
    finish(out, __file__, (xva[:64], yva01[:64]), causes=["label_out_of_range"], checkpoint="finger_tagger.pt", log="qc_tags.csv",
           what="multi-label turmeric finger defect tagger with farm and variety embeddings; the"
                " tag matrix counts findings written twice, so some BCE targets are 2",
           complaint="我们的姜黄质检缺陷标注模型，训练损失一路降到负数，看着像是越练越好，"
                     "但验证集上的 BCE 反而越来越高，模型给很多批次乱报霉变和虫蛀，"
                     "准确率比一开始还差。")


if __name__ == "__main__":
    main()
