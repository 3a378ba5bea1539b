"""Plain torch: an MLP predicts the titratable acidity (% lactic acid) of a lacto-fermented
cucumber batch after 14 days from 7 things written on the batch card: sodium chloride in the
cover liquid (%), crock temperature (°C), starter culture dose (log CFU/ml), added sugar (g/l),
cucumber size (mm), vinegar added at packing (ml/l), and days before the crock was covered.
Acidity follows a Monod-like growth of the lactic bacteria that is slowed by high sodium and by
cold, saturates on the available sugar, is lower for big cucumbers (slow diffusion), plus 4 %
noise; inputs standardised with the training mean/std, target in raw % (mean 0.46). MLP
7→64-ReLU-64-ReLU→1, MSE, RMSprop 1e-3, batch 64, 25 epochs of 2000 batches, validation on 500
(val MSE, val MAE, val R², predictions squeezed to (N,) for the metrics).
The bug: ``loss = F.mse_loss(model(xb), yb)  # (B, 1) prediction vs (B,) acidity`` — the
(64, 1) output broadcasts against the (64,) target into a 64×64 matrix, so every prediction is
pulled toward the batch mean acidity and the net learns a constant. Result: train loss
0.0741 → 0.0573 (0.057 from epoch 5 on), val MSE 0.0561 → 0.0550 (the target variance is
0.0565), val R² -0.0006 → 0.020 (between -0.05 and 0.03 every epoch), val MAE 0.181 → 0.187 %.
Control (``model(xb).squeeze(-1)``): train MSE 0.0268 → 0.00086, val MSE 0.0078 → 0.00082, val
R² 0.862 → 0.985, val MAE 0.068 → 0.022 %.
Log: CSV per epoch ``acidity_log.csv`` (``epoch`` / ``train_loss`` / ``val_mse`` / ``val_mae`` /
``val_r2``); checkpoint ``acidity_mlp.pt`` with keys ``weights`` / ``rmsprop`` / ``epochs`` /
``card_mean`` / ``card_std`` / ``columns``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["nacl_pct", "crock_c", "starter_log_cfu", "sugar_g_l", "cucumber_mm", "vinegar_ml_l",
           "days_uncovered"]


def batch_cards(n, g):
    nacl = 2 + 6 * torch.rand(n, generator=g)
    temp = 12 + 16 * torch.rand(n, generator=g)
    starter = 5 + 3 * torch.rand(n, generator=g)
    sugar = 10 * torch.rand(n, generator=g)
    size = 20 + 30 * torch.rand(n, generator=g)
    vinegar = 20 * torch.rand(n, generator=g)
    days = torch.randint(0, 3, (n,), generator=g).float()
    growth = torch.exp(0.09 * (temp - 20)) * torch.sigmoid(2.5 - 0.55 * nacl) * (starter - 4) / 3
    supply = 0.4 + 0.12 * sugar
    acid = supply * (1 - torch.exp(-3 * growth)) * (1.25 - size / 60) + 0.004 * vinegar + 0.02 * days
    acid = acid * (1 + 0.04 * torch.randn(n, generator=g))
    return torch.stack([nacl, temp, starter, sugar, size, vinegar, days], 1), acid


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _twohundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = batch_cards(2000, g)
    rva, yva = batch_cards(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("acidity mean/var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "acidity_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_mse", "val_mae", "val_r2"])
        for epoch in range(1, 26):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)  # (B, 1) prediction vs (B,) acidity
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva).squeeze(-1)
            mse = F.mse_loss(pred, yva).item()
            row = [epoch, round(tot / len(xtr), 6), round(mse, 6),
                   round((pred - yva).abs().mean().item(), 5), round(1 - mse / yva.var().item(), 5)]
            print(row)
            w.writerow(row)
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(), "epochs": 25,
                "card_mean": mean, "card_std": std, "columns": COLUMNS}, out / "acidity_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["shape_or_dtype_bug"],
           checkpoint="acidity_mlp.pt", log="acidity_log.csv",
           what="pickling acidity MLP whose (B, 1) output is broadcast against a (B,) target in"
                " the MSE",
           complaint=("我们把每一缸腌黄瓜的批次卡都记了下来，想用 MLP 预测两周后的可滴定酸度。"
                      "训练不报错，但模型给每一缸的预测几乎都一样，大约 0.46 %，不管是 8 % 钠盐的"
                      "冷缸还是加了糖的暖缸；验证 R² 一直在 0 附近，loss 停在 0.057 不动。"
                      "这个关系并不隐蔽，做发酵的老师傅凭经验都猜得更准。是特征不够，还是网络太小？"))


if __name__ == "__main__":
    main()
