"""Plain torch: an MLP predicts the caste mix of a termite colony (share of workers, soldiers,
nymphs, alates) from 12 numbers a mound survey records (mound height and basal girth, wall
hardness, chimney count, fungus-comb temperature, soil clay share, season as sin / cos, rain over
the last 30 days, distance to the nearest mound, ...). The mix is a softmax of nonlinear feature
combinations (alates before the rains, soldiers where mounds are crowded, nymphs in warm combs),
so the targets are proper distributions, not one-hot. MLP 12-64-64-4, ``nn.KLDivLoss(reduction=
"batchmean")`` against the surveyed mix, Adam 1e-3, batch 32, 20 epochs of 1280 mounds.
Log: JSON lines per epoch (``epoch``, ``kl``, ``val_kl``, ``val_l1``: the mean absolute error of
the four shares); checkpoint ``model_state`` / ``optimizer_state`` / ``epoch``.
The bug: the loss is called with ``F.softmax(logits, 1)`` (probabilities) where ``KLDivLoss``
wants log-probabilities, so it computes ``sum t (log t - p)``, which is lowest when all the mass
goes on the target's largest share: the logged "KL" is negative from the first epoch (train −1.38 → −1.59, val −1.50 → −1.59)
and the predicted mixes turn one-hot; val L1 of the shares 0.169 at epoch 1, 0.254 at epoch 2,
0.222 at epoch 20 (the true KL of the predictions 0.46 → 4.5). Control (``F.log_softmax``): val
KL 0.118 → 0.0098, val L1 0.092 → 0.023."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def mounds(n, g):
    x = torch.randn(n, 12, generator=g)
    s = torch.stack([1.0 + 0.6 * x[:, 0] + 0.4 * x[:, 1] * x[:, 2],
                     0.2 * x[:, 3] + 0.8 * torch.relu(-x[:, 9]) + 0.3 * x[:, 4],
                     0.5 * x[:, 4] + 0.5 * torch.tanh(x[:, 5] * 2),
                     -0.5 + 0.9 * x[:, 6] * (x[:, 8] > 0) + 0.4 * x[:, 7]], 1)
    return x, torch.softmax(1.2 * s, 1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ptr = mounds(1280, g)
    xva, pva = mounds(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    kl = nn.KLDivLoss(reduction="batchmean")
    with open(out / "caste_mix.jsonl", "w") as log:
        for epoch in range(1, 21):
            model.train()
            perm = torch.randperm(1280, generator=g)
            tot = 0.0
            for i in range(0, 1280, 32):
                idx = perm[i:i + 32]
                loss = kl(F.softmax(model(xtr[idx]), 1), ptr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vk = kl(F.softmax(lv, 1), pva).item()
                l1 = (F.softmax(lv, 1) - pva).abs().mean().item()
                true_kl = kl(F.log_softmax(lv, 1), pva).item()
            rec = {"epoch": epoch, "kl": round(tot / 1280, 5), "val_kl": round(vk, 5),
                   "val_l1": round(l1, 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec, round(true_kl, 4))
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 20}, out / "caste_mix.pt")
    finish(out, __file__, (xva[:64], pva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="caste_mix.pt", log="caste_mix.jsonl",
           what="termite caste-mix MLP whose KLDivLoss gets softmax probabilities",
           complaint=("白蚁巢品级比例模型：KL 损失第一个 epoch 就是负数（-1.38），到第 20 个 epoch 是 -1.59，一直往下降，"
                      "可是预测出来的比例几乎都是某一个品级 100%，其他是 0，验证集平均误差"
                      "反而越来越大。KL 散度不是应该大于等于 0 吗？"))


if __name__ == "__main__":
    main()
