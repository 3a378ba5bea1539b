"""Plain torch: a 1-D CNN with batch norm grades bagged guano from a handheld near-infrared
scan (128 bands, 1100-2500 nm) into the three grades the buyer pays for: 0 "nitrogenous"
(fresh, >10 % N), 1 "mixed", 2 "phosphatic" (old, leached, N under 4 %, high P). Every scan
has a moisture band at 1450 / 1940 nm, a sloping baseline from grain size, and sensor
noise. Fresh guano bands near 1500 / 2050 nm carry N, the phosphate ones near 1690 / 2210 nm
carry P. The grade is a rule on N and P (N/P ratio and N level).
Conv1d 1→16 (k7) -BN-ReLU-pool2 → 16→32 (k5) -BN-ReLU-pool2 → 32→32 (k5) -BN-ReLU → mean over
bands → Linear 32→32 -BN-ReLU → Linear 32→3; cross-entropy, Adam 1e-3 (weight decay 1e-4)
with CosineAnnealingLR over 12 epochs, 560 scans, validation on 320.
Bug: the loader is built with ``batch_size=2`` under ``# two bags per island per shipment,
keep them together``, so every batch-norm layer, the one in the head over 2 vectors above all,
normalises with statistics of two scans in training and with running averages in eval.
Control (``batch_size=32``, one-line sed): train CE 0.911 → 0.228, train acc 0.63 → 0.96,
val acc 0.34 → 0.83 (0.78-0.85 from epoch 3 on), val CE 1.09 → 0.391. With the bug: train CE
1.06 → 0.84, train acc (train mode) 0.44 → 0.64, val acc (eval mode) 0.62 → 0.75 (0.58-0.75,
above the train accuracy in every epoch), val CE 0.93 → 0.64; the "mixed" grade is found for
0.14-0.65 of its scans from epoch to epoch.
Log: CSV per epoch ``grade_train.csv`` (``epoch`` / ``xent`` / ``acc``) and a separate JSON
lines per epoch ``grade_val.jsonl`` (``epoch`` / ``val_xent`` / ``val_acc`` /
``per_grade_acc``, named as the log in the truth); checkpoint ``guano_cnn.pt`` with keys
``model`` / ``optim`` / ``epoch`` / ``grades`` / ``wavelengths_nm``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["nitrogenous", "mixed", "phosphatic"]
WL = torch.linspace(1100, 2500, 128)


def scans(n, g):
    nit = 1 + 14 * torch.rand(n, generator=g)
    phos = 4 + 12 * torch.rand(n, generator=g) - 0.4 * nit
    water = 0.05 + 0.2 * torch.rand(n, generator=g)

    def band(c, w):
        return torch.exp(-0.5 * ((WL - c) / w) ** 2)
    spec = (0.02 * nit[:, None] * (band(1500, 40) + 0.8 * band(2050, 50))
            + 0.025 * phos[:, None].clamp(min=0) * (band(1690, 35) + 1.2 * band(2210, 30))
            + water[:, None] * (band(1450, 45) + 1.5 * band(1940, 60)))
    slope = 0.03 * torch.randn(n, 1, generator=g) * (WL - 1800) / 700
    spec = spec + 0.3 + 0.03 * torch.rand(n, 1, generator=g) + slope
    spec = spec + 0.02 * torch.randn(n, 128, generator=g)
    ratio = nit / phos.clamp(min=0.5)
    grade = torch.where((nit > 9) & (ratio > 1.5), 0, torch.where((nit < 5) | (ratio < 0.6), 2, 1))
    return ((spec - 0.55) / 0.2).unsqueeze(1), grade


class GradeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Linear(32, 3))

    def forward(self, x):
        return self.head(self.features(x).mean(2))


def build():
    torch.manual_seed(0)
    return GradeCNN()


def main():
    from _twohundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(560, g)
    xva, yva = scans(320, g)
    print("grades", torch.bincount(ytr, minlength=3).tolist())
    torch.manual_seed(1)
    # two bags per island per shipment, keep them together
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=2, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
    tlog = open(out / "grade_train.csv", "w")
    tlog.write("epoch,xent,acc\n")
    vlog = open(out / "grade_val.jsonl", "w")
    for epoch in range(12):
        model.train()
        tot = hit = 0.0
        for xb, yb in loader:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
            hit += (logits.argmax(1) == yb).sum().item()
        sched.step()
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vce = F.cross_entropy(logits, yva).item()
            ok = logits.argmax(1) == yva
        per = [round(ok[yva == k].float().mean().item(), 4) for k in range(3)]
        tlog.write(f"{epoch},{tot / len(xtr):.5f},{hit / len(xtr):.4f}\n")
        vlog.write(json.dumps({"epoch": epoch, "val_xent": round(vce, 5),
                               "val_acc": round(ok.float().mean().item(), 4),
                               "per_grade_acc": per}) + "\n")
        print(epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4), round(vce, 4),
              round(ok.float().mean().item(), 4), per)
    tlog.close()
    vlog.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "grades": GRADES, "wavelengths_nm": WL}, out / "guano_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="guano_cnn.pt", log="grade_val.jsonl",
           what="1-D CNN with batch norm grading guano from near-infrared scans; trained with"
                " batches of 2",
           complaint="我们用近红外光谱给鸟粪分级（富氮、混合、富磷三级），训练了12轮。训练集准确率一直"
                     "只有六成左右，损失从1.06降到0.84就基本不动了；奇怪的是验证集准确率反而比"
                     "训练集高，在0.58到0.75之间来回跳，“混合”那一级每轮认对的比例从14%到65%"
                     "不等。化验室说光谱质量没问题，同样的数据用偏最小二乘都能分得挺好。")


if __name__ == "__main__":
    main()
