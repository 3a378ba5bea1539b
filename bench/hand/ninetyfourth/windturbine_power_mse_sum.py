"""Wind-turbine power-curve regression from 10-minute SCADA records (synthetic, a 2 MW turbine):
hub wind speed (m/s), turbulence intensity, air density, yaw misalignment, ambient temperature
and blade pitch → active power as a fraction of rated. The power follows a logistic-like curve
between cut-in 3.5 m/s and rated 12.5 m/s scaled by air density and cos³ of the yaw error,
minus turbulence losses near rated, curtailed to 0 above cut-out 25 m/s, plus noise 0.02.
Features standardised with the training mean / std. A 4-layer MLP (128 wide, SiLU), SGD lr 0.1
momentum 0.9, batch 512, 16 epochs of 24576 records; a CSV log at step 1 and every 8 steps (step, epoch,
loss per record, gradient norm) plus the validation RMSE in kW each epoch.
Bug: ``criterion = nn.MSELoss(reduction="sum")`` — summed over the 512 records of a batch, so
every gradient is 512× the per-record mean the lr was picked for, and nothing clips it.
Step 1: loss 0.244 per record, gradient norm 414; from step 8 on the loss and the gradient norm
are NaN, and so is every epoch's val RMSE. The control (``reduction="mean"``): gradient norm
0.81 at step 1, loss per record 0.24 → 0.001, val RMSE 638 kW after epoch 1 → 69 kW after 16
(the noise floor is 40 kW)."""
import csv
import math

import torch
import torch.nn as nn

RATED_KW = 2000.0


def scada(n, g):
    u = torch.rand(n, generator=g)
    ws = 8.5 * (-torch.log(1 - u)) ** (1 / 2.1)  # Weibull(scale 8.5, shape 2.1)
    ti = 0.06 + 0.14 * torch.rand(n, generator=g)
    rho = 1.225 + 0.05 * torch.randn(n, generator=g)
    yaw = 8.0 * torch.randn(n, generator=g)
    temp = 12 + 8 * torch.randn(n, generator=g)
    curve = 1 / (1 + torch.exp(-(ws - 8.2) / 1.15))
    curve = torch.where(ws < 3.5, torch.zeros_like(ws), curve)
    p = curve * (rho / 1.225) * torch.cos(torch.deg2rad(yaw)) ** 3
    p = p - 0.6 * ti * torch.exp(-((ws - 12.0) / 2.0) ** 2)
    p = torch.where(ws > 25, torch.zeros_like(p), p.clamp(0, 1))
    pitch = torch.where(ws > 12.5, 2.2 * (ws - 12.5), torch.zeros_like(ws)) + 0.3 * torch.randn(
        n, generator=g)
    y = (p + 0.02 * torch.randn(n, generator=g)).clamp(0, 1.02)
    return torch.stack([ws, ti, rho, yaw, temp, pitch], 1), y[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(),
                         nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))


def main():
    from _ninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = scada(28672, g)
    mu, sd = x[:24576].mean(0), x[:24576].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:24576], y[:24576], x[24576:], y[24576:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    criterion = nn.MSELoss(reduction="sum")
    f = open(out / "scada_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss_per_record", "grad_norm", "val_rmse_kw"])
    step = 0
    for epoch in range(1, 17):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 512):
            idx = perm[i:i + 512]
            loss = criterion(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
            opt.step()
            step += 1
            if step % 8 == 0 or step == 1:
                w.writerow([step, epoch, f"{loss.item() / len(idx):.6g}", f"{gn:.6g}", ""])
        model.eval()
        with torch.no_grad():
            rmse = (model(xva) - yva).pow(2).mean().sqrt().item() * RATED_KW
        w.writerow([step, epoch, "", "", f"{rmse:.4g}"])
        print(epoch, step, loss.item() / len(idx), gn, rmse)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 16,
                "feature_mean": mu, "feature_std": sd, "rated_kw": RATED_KW},
               out / "powercurve_mlp.ckpt")
    finish(out, __file__, (xva[:512], yva[:512]), causes=["exploding_gradients", "lr_too_high"],
           checkpoint="powercurve_mlp.ckpt", log="scada_train.csv",
           what="wind-turbine power-curve MLP, MSELoss(reduction='sum') on batch 512, SGD, "
                "no clipping",
           complaint="风机功率曲线的MLP完全训练不起来：第1步loss是0.244，梯度范数414，从第8步开始"
                     "loss和梯度范数全是NaN，16个epoch的验证RMSE也全是NaN。输入特征已经用训练集的"
                     "均值和标准差做了标准化，数据里也没有NaN。")


if __name__ == "__main__":
    main()
