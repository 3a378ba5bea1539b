"""Plain torch: an MLP with batch norm predicts the dot gain at the 50 % tone patch (in
percentage points, ~11–23, mean 16.9, sd 2.0) a sheet-fed offset press will print, from 8
numbers the press console logs per job: ink-key opening (%), ductor stroke, fountain-solution
feed (%), press speed (sheets/h), paper coating (0 uncoated … 1 gloss), pressroom temperature
and humidity, and blanket hours. Dot gain follows the solid ink density (ink film = key ×
ductor, saturating; falls when the water/ink balance tips to water), is lower on coated stock,
grows with blanket wear and, on uncoated stock, with humidity. Linear(8→64)-BatchNorm1d-ReLU-
Linear(64→64)-BatchNorm1d-ReLU-Linear(64→1); AdamW 3e-3 with decoupled decay 2.0 "for the
weights", batch 64, 40 epochs of 2048 jobs; MSE on the dot gain itself (not standardised).
Log: JSON lines per epoch (``epoch``, ``train_mse``, ``val_mse``, ``val_mae_pct``);
checkpoint ``net`` / ``opt`` / ``epoch``.
The bug: the parameter split is meant to put the weight matrices in the decayed group and the
biases and batch-norm gains/shifts in a group without decay; the test is written
``p.dim() >= 1`` where the recipe has ``p.dim() > 1``, so every bias and BN parameter (all
1-D) lands in the decayed group and the second group is empty; the output bias, which has to
carry the 16.9 % mean, is pulled to zero at lr × 2 a step. Train MSE 240 → 41.6 (epoch 6) → 22.9 (11) → 13.7 at 40, val MSE 13.2
(val MAE 3.58 points; predicting the mean would give MSE 4.0); the loss creeps down all run.

Control (``p.dim() > 1``): train MSE 30 at epoch 4, 3.3 at 8, 0.72 at 40; val MSE 0.69, val MAE
0.69 points."""
import json

import torch
import torch.nn as nn

WD = 2.0


def jobs(n, g):
    key = 20 + 60 * torch.rand(n, generator=g)
    ductor = 2 + 8 * torch.rand(n, generator=g)
    water = 20 + 30 * torch.rand(n, generator=g)
    speed = 6000 + 9000 * torch.rand(n, generator=g)
    coat = torch.rand(n, generator=g)
    temp = 19 + 8 * torch.rand(n, generator=g)
    hum = 35 + 30 * torch.rand(n, generator=g)
    blanket = 500 * torch.rand(n, generator=g)
    film = key * ductor / 300
    dens = (1.05 + 0.55 * torch.tanh(film) + 0.18 * coat - 0.25 * torch.relu(water / 35 - film / 2)
            - 0.00015 * blanket - 0.01 * (speed / 1000 - 10) * (1 - coat)
            + 0.004 * (temp - 23))
    gain = (8 + 7 * dens - 5 * coat + 0.008 * blanket + 0.06 * (hum - 50) * (1 - coat)
            + 0.3 * torch.randn(n, generator=g))
    x = torch.stack([key, ductor, water, speed, coat, temp, hum, blanket], 1)
    mu = torch.tensor([50., 6., 35., 10500., 0.5, 23., 50., 250.])
    sd = torch.tensor([17., 2.3, 8.7, 2600., 0.29, 2.3, 8.7, 144.])
    return (x - mu) / sd, gain.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.BatchNorm1d(64), nn.ReLU(),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _hundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = jobs(2048, g)
    xva, yva = jobs(512, g)
    print("dot gain mean / sd", ytr.mean().item(), ytr.std().item())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    decay, no_decay = [], []
    for p in model.parameters():
        (decay if p.dim() >= 1 else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD},
                             {"params": no_decay, "weight_decay": 0.0}], lr=3e-3)
    loss_fn = nn.MSELoss()
    with open(out / "log.jsonl", "w") as f:
        for epoch in range(1, 41):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "train_mse": round(tot / 2048, 5),
                   "val_mse": round(loss_fn(pv, yva).item(), 5),
                   "val_mae_pct": round((pv - yva).abs().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 40},
               out / "dotgain_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="dotgain_mlp.pth", log="log.jsonl",
           what="press dot-gain MLP whose no-decay group test (p.dim() >= 1) sends every bias"
                " and batch-norm parameter into AdamW's 2.0 decay",
           complaint=("印刷机网点扩大预测模型（50% 网点，目标大约 11 到 23 个百分点）训练 40 个 epoch 后，训练 MSE 还有 13.7，"
                      "验证 MSE 13.2，平均误差 3.6 个百分点，比直接猜平均值还差（目标标准差才 2.0）。loss"
                      " 一直在慢慢往下走，但就是下不去。特征都标准化过了，AdamW 学习率 3e-3。是网络太小还是 epoch 不够？"))


if __name__ == "__main__":
    main()
