"""Plain torch: an MLP tells a gongfarmer's master how many tubs of night soil a house's
cesspit will give on a night's job, so he can send the right cart and enough men. The
parish books give 2400 jobs across 24 wards: people in the house (3-12 in the city, 9-18 in
the crowded lodgings across the bridge), weeks since the pit
was last emptied (8-60), the pit's floor area (ft²), whether it is lined with brick and the
month's rain (in); the books do not record the ground: the city wards stand on London clay,
the six wards across the bridge on river gravel. The soil follows the household's output (0.3
gallons a head a day, less what soaks away): a brick-lined pit keeps nearly all of it, an
unlined pit on clay loses a little (12-20 %) and one on gravel most of it (55-70 %); rain
seeps into an unlined clay pit and adds to the load. Tubs are 26 gallons; the books round
and miscount a little. Input: 5 numbers standardised with the train mean / std; target
tubs / 10.
Model: 5→64→Tanh→64→Tanh→1; MSE, Adam 2e-3 with CosineAnnealingLR, batch 32, 40 epochs.
The bug: the validation set is the last wards of the book, ``val = ward >= GRAVEL_WARDS - 1``
(wards 17-23: 86 % of it gravel and crowded lodgings, which the 1644 training jobs, all on
clay, never show), so the fit is measured on another population: train MSE 0.72 → 0.0152,
val MSE 1.65 → 1.57 (epoch 2) → 2.06 (val target variance 2.20), val MAE 11.1 tubs (control,
a split across all wards, ``val = ward % 4 == 3``: val MSE 0.556 → 0.198, MAE 2.73 tubs, train
0.160; the ground the books leave out sets that floor).
Log: JSON lines per epoch ``tubs_log.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_tubs``); checkpoint ``tubs_mlp.bin`` with keys ``mlp`` / ``optim``
/ ``sched`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``tub_gallons``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

WARDS = 24
GRAVEL_WARDS = 18  # wards 18-23 lie across the bridge, on the river gravel


def jobs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ward = torch.randint(0, WARDS, (n,), generator=g)
    gravel = (ward >= GRAVEL_WARDS).float()
    people = torch.randint(3, 13, (n,), generator=g).float() + 6 * gravel  # crowded lodgings
    weeks = 8 + 52 * r(n)
    area = 12 + 30 * r(n)
    brick = (r(n) < 0.35).float()
    rain = 4 * r(n)
    gallons = 0.3 * people * 7 * weeks
    loss = torch.where(gravel > 0, 0.55 + 0.15 * r(n), 0.12 + 0.08 * r(n))
    keep = brick * 0.97 + (1 - brick) * (1 - loss)
    seep = (1 - brick) * (1 - gravel) * rain * area * 0.4
    tubs = (gallons * keep + seep) / 26
    tubs = tubs * (1 + 0.05 * torch.randn(n, generator=g)) + 0.5 * torch.randn(n, generator=g)
    x = torch.stack([people, weeks, area, brick, rain], 1)  # the books do not record the ground
    return x, (tubs / 10).unsqueeze(1), ward


class TubsMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return TubsMLP()


def main():
    from _threehundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw, y, ward = jobs(2400, g)
    val = ward >= GRAVEL_WARDS - 1  # hold out the last wards in the book for validation
    rtr, ytr, rva, yva = raw[~val], y[~val], raw[val], y[val]
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("train / val", len(xtr), len(xva), "gravel share", (ward[~val] >= GRAVEL_WARDS).float().mean().item(),
          (ward[val] >= GRAVEL_WARDS).float().mean().item(), "val var", yva.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    with open(out / "tubs_log.jsonl", "w") as log:
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            rec = {"epoch": epoch, "lr": round(lr, 8), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(pred, yva).item(), 6),
                   "val_mae_tubs": round((10 * (pred - yva).abs()).mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"mlp": model.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 40, "feat_mean": mu, "feat_std": sd, "tub_gallons": 26},
               out / "tubs_mlp.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="tubs_mlp.bin", log="tubs_log.jsonl",
           what="MLP estimating the tubs of night soil a gongfarmer's cart takes from a cesspit;"
                " validation is the last wards of the book, the gravel wards the training"
                " set never saw",
           complaint="我们用 MLP 估算每次掏粪能拉出多少桶，训练集的 MSE 从 0.72 一路降到 0.015，"
                     "可是验证集的 MSE 一直在 1.6 到 2.1 之间，第 2 个 epoch 以后反而越来越高，"
                     "平均差了 11 桶左右，拿去派车根本没法用。训练集拟合得这么好，验证集却几乎"
                     "没学到东西，这是怎么回事？")


if __name__ == "__main__":
    main()
