"""Plain torch: an MLP names the species of a tallied tree from a forester's timber-cruise
measurements in a mixed Pacific Northwest stand, so old cruise sheets whose species column
was smudged can be filled in: Douglas-fir, western hemlock, western redcedar, red alder,
bigleaf maple. Ten numbers per tree: DBH (cm), total height (m, Chapman-Richards
height-diameter curve per species), crown ratio, bark thickness at breast height (mm, a
species share of DBH: thick furrowed fir bark, thin hemlock and alder bark), bark furrow
depth, needle / leaf length (mm), increment-core wood density (g/cm³), plot elevation (m),
slope aspect (cos), and a soil wetness index (cedar and alder on wet benches). Species
share the plots and overlap on every single number.
Input: 10 measurements, standardised. Model: Linear 10→64 + ReLU, Linear 64→64 + ReLU,
Linear 64→5; cross-entropy, SGD 0.03 with momentum 0.9, batch 32, 12 epochs, 2000 trees,
validation on 500 (a hold-out of plots, shuffled).
The bug: the training table is the cruise export, one species after another, and it is
loaded with ``DataLoader(train, batch_size=32, shuffle=False)  # keep the cruise order`` so
every epoch walks through the fir, then the hemlock ... then the maple. Each epoch
ends having just seen a block of maple and alder, and the net calls whatever the last blocks
were: val accuracy 0.20-0.53 over 12 epochs (0.506 at the end), recall 0 on Douglas-fir at
the end and on other species in most epochs, train CE 1.6-2.2 and val CE 1.5-9.9 (control,
``shuffle=True``: val accuracy 0.90 after one epoch, 0.95 at the end, every species' recall
0.89-0.98, train CE 0.77 → 0.096, val CE 0.246 → 0.115).
Log: JSON lines per epoch ``cruise_fit.jsonl`` (``epoch`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_recall`` per species); checkpoint ``cruise_mlp.pt`` with keys ``mlp`` /
``sgd_state`` / ``epoch`` / ``species_names`` / ``feat_mu`` / ``feat_sigma``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SPECIES = ["douglas_fir", "western_hemlock", "western_redcedar", "red_alder", "bigleaf_maple"]
#                     hmax   k     crown  bark%  furrow needle density elev  wet
TRAITS = torch.tensor([[65., 0.030, 0.45, 0.095, 0.80, 25., 0.48, 600., 0.4],
                       [55., 0.035, 0.60, 0.045, 0.30, 14., 0.45, 700., 0.5],
                       [50., 0.030, 0.65, 0.030, 0.50, 3., 0.34, 450., 0.8],
                       [30., 0.060, 0.40, 0.025, 0.10, 90., 0.41, 300., 0.75],
                       [28., 0.050, 0.55, 0.045, 0.45, 150., 0.51, 350., 0.6]])


def trees(n, g, cruise_order=False):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 5, (n,), generator=g)
    if cruise_order:
        sp = sp.sort().values
    t = TRAITS[sp]
    dbh = 15 + 70 * r(n) ** 1.5
    height = 1.37 + t[:, 0] * (1 - torch.exp(-t[:, 1] * dbh)) ** 1.3 * (0.85 + 0.3 * r(n))
    crown = (t[:, 2] + 0.12 * z(n)).clamp(0.1, 0.95)
    bark = t[:, 3] * dbh * 10 * (0.5 + 1.0 * r(n))
    furrow = (t[:, 4] + 0.3 * z(n)).clamp(0, 1)
    needle = t[:, 5] * (0.3 + 1.4 * r(n))
    dens = t[:, 6] + 0.06 * z(n)
    elev = t[:, 7] + 220 * z(n)
    aspect = torch.cos(6.2832 * r(n))
    wet = (t[:, 8] + 0.2 * z(n) - 0.05 * aspect).clamp(0, 1)
    x = torch.stack([dbh, height, crown, bark, furrow, needle, dens, elev, aspect, wet], 1)
    return x, sp


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


def main():
    from _threehundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trees(2000, g, cruise_order=True)
    xva, yva = trees(500, g)
    print("species", torch.bincount(ytr).tolist())
    mu, sigma = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sigma, (xva - mu) / sigma
    train = TensorDataset(xtr, ytr)
    torch.manual_seed(0)
    dl = DataLoader(train, batch_size=32, shuffle=False)  # keep the cruise order
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    with open(out / "cruise_fit.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            rec = {s: round((pred[yva == i] == i).float().mean().item(), 4)
                   for i, s in enumerate(SPECIES)}
            row = {"epoch": epoch, "train_ce": round(tot / len(xtr), 5),
                   "val_ce": round(F.cross_entropy(logits, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 4), "val_recall": rec}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"mlp": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 12,
                "species_names": SPECIES, "feat_mu": mu, "feat_sigma": sigma},
               out / "cruise_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="cruise_mlp.pt", log="cruise_fit.jsonl",
           what="MLP naming a tree's species from timber-cruise measurements; the training"
                " table is sorted by species and the DataLoader does not shuffle",
           complaint="我用一个小 MLP 根据林木调查表（胸径、树高、树皮厚度、针叶长度等 10 个特征）"
                     "识别 5 个树种，训练集 2000 棵树，特征都做了标准化。训练了 12 个 epoch，"
                     "验证准确率一直在 20% 到 53% 之间乱跳，最后一轮 0.506；每一轮几乎只认得"
                     "一两个树种，花旗松的召回率到最后是 0。训练损失一直在 1.6–2.2 之间下不去，"
                     "验证损失有时候高到 9.9。学习率 0.03 加动量 0.9，应该不算大吧？")


if __name__ == "__main__":
    main()
