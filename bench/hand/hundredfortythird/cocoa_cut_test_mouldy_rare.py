"""A chocolate maker's incoming-bean QC: an MLP flags mouldy cocoa beans from a cut-test
station (each bean cut lengthwise, photographed and measured). Twelve features per bean: mean
L*, a*, b* of the cotyledon, colour spread, share of purple, share of slaty grey, share of
brown, white-speck area (mould mycelium), cavity area, moisture (%), bean weight (g) and a
fermentation-smell score from the e-nose. Mouldy beans are 2.5 % of the lot (the rest are
good, slaty or under-fermented beans, all acceptable at this stage) and they are hard: a
mouldy bean shows a little more white speck, a darker, greyer cut and more moisture, but every
sign overlaps with good beans. Two hidden layers of 64, plain ``nn.CrossEntropyLoss()``, Adam
1e-3, batch 128, 15 epochs on 12000 beans."""
import csv

import torch
import torch.nn as nn

CLASSES = ["ok", "mouldy"]
FEATURES = ["L", "a", "b", "colour_sd", "purple", "slaty", "brown", "white_speck", "cavity",
            "moisture", "weight_g", "enose"]
MOULD_SHARE = 0.025


def beans(n, g):
    y = (torch.rand(n, generator=g) < MOULD_SHARE).long()
    z = torch.randn(n, 12, generator=g)
    m = y.float()
    shift = torch.tensor([-0.5, 0.1, -0.4, 0.3, 0.0, 0.25, -0.15, 0.6, 0.3, 0.5, -0.1, 0.4])
    z = z + m[:, None] * shift
    mean = torch.tensor([48.0, 9.0, 14.0, 4.0, 0.12, 0.08, 0.75, 0.01, 0.05, 7.0, 1.1, 5.0])
    scale = torch.tensor([4.0, 2.0, 2.5, 1.0, 0.06, 0.05, 0.1, 0.006, 0.02, 0.8, 0.15, 1.5])
    return mean + scale * z, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 2))


def main():
    from _hundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = beans(15000, g)
    mu, sd = x[:12000].mean(0), x[:12000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:12000], y[:12000], x[12000:], y[12000:]
    print("mouldy share train/val", ytr.float().mean().item(), yva.float().mean().item())
    torch.manual_seed(0)
    model = build()
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "cut_test_training.csv", "w", newline="") as f:
        w = csv.DictWriter(f, ["Epoch", "TrainLoss", "ValLoss", "ValAccuracy", "MouldyRecall",
                               "MouldyFlagged"])
        w.writeheader()
        for ep in range(15):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 128):
                idx = perm[i:i + 128]
                loss = criterion(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                pred = lo.argmax(1)
                rec = ((pred == 1) & (yva == 1)).sum().item() / (yva == 1).sum().item()
                row = {"Epoch": ep, "TrainLoss": round(tot / len(xtr), 5),
                       "ValLoss": round(criterion(lo, yva).item(), 5),
                       "ValAccuracy": round((pred == yva).float().mean().item(), 4),
                       "MouldyRecall": round(rec, 4), "MouldyFlagged": int((pred == 1).sum())}
            w.writerow(row)
            if ep % 5 == 4:
                print(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "feature_mean": mu, "feature_std": sd, "classes": CLASSES},
               out / "cut_test_mlp.ckpt")
    finish(out, __file__, (xva[:512], yva[:512]), causes=["class_imbalance"],
           checkpoint="cut_test_mlp.ckpt", log="cut_test_training.csv",
           what="mouldy-bean cut-test MLP, 2.5 % mouldy, unweighted cross-entropy",
           complaint="可可豆切面检测模型看起来准确率很高，验证集准确率一直是 0.976，但它从来不把任何一颗豆子"
                     "判成霉变：验证集 3000 颗豆子里有 71 颗霉变豆，霉变召回率 15 个 epoch 全是 0，"
                     "最多只标出过 2 颗（还都标错了）。训练损失从 0.22 降到 0.095，验证损失停在 "
                     "0.10 左右。这样的模型在来料检验上完全没用。")


if __name__ == "__main__":
    main()
