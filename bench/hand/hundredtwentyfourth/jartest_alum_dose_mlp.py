"""Water treatment: an MLP that predicts the alum (coagulant) dose a plant operator would set, in
mg/L, from six raw-water readings (turbidity NTU, pH, temperature °C, alkalinity mg/L CaCO3,
UV254 absorbance, plant flow ML/d) — synthetic jar-test records: the dose rises with the log of
turbidity and with UV254 (organics), has an optimum-pH bend, needs more in cold water and less
when alkalinity is low, plus operator noise (σ 1.2 mg/L). Features standardised with the
training mean / std, the dose standardised too (mean / std kept in the checkpoint). 6-64-64-1
ReLU MLP, Adam 3e-3, batch 64, 30 epochs of 3000 records; a CSV log per epoch (train_mse and
val_mse on the standardised dose, val_mae_mgL in mg/L).
Bug: the targets are a 1-D tensor ``dose`` of shape (N,) and the model returns (N, 1);
``nn.MSELoss()(model(x), y)`` broadcasts (64, 1) against (64,) to (64, 64) (PyTorch only warns),
so every prediction is pulled toward every target of the batch and the model learns the mean
dose: train / val MSE stay at 1.00 / 0.94 (the variance of the standardised dose) for all 30
epochs, val MAE 6.74 mg/L, every prediction 40.2–40.6 mg/L (the mean dose is 40.4; the batch's
doses run 22–73). Control (``.squeeze(1)`` on the output in training and validation): train
MSE 0.020, val MSE 0.021, val MAE 1.02 mg/L."""
import csv

import torch
import torch.nn as nn

COLS = ["turbidity_ntu", "ph", "temp_c", "alkalinity", "uv254", "flow_mld"]


def jar_tests(n, g):
    turb = torch.exp(torch.randn(n, generator=g) * 1.0 + 2.3)          # ~10 NTU, storms to 200
    ph = 7.2 + 0.45 * torch.randn(n, generator=g)
    temp = 4 + 20 * torch.rand(n, generator=g)
    alk = 30 + 90 * torch.rand(n, generator=g)
    uv = 0.05 + 0.25 * torch.rand(n, generator=g)
    flow = 40 + 40 * torch.rand(n, generator=g)
    dose = (6 + 7 * torch.log1p(turb) + 55 * uv + 9 * (ph - 6.8) ** 2 + 0.25 * (20 - temp)
            + 8 * torch.exp(-(alk - 30) / 20) + 0.02 * flow)
    dose = dose + 1.2 * torch.randn(n, generator=g)
    x = torch.stack([turb, ph, temp, alk, uv, flow], 1)
    return x, dose


class DoseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return DoseNet()


def main():
    from _hundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, dose = jar_tests(3600, g)
    x[:, 0] = torch.log1p(x[:, 0])  # turbidity is log-normal
    mu, sd = x[:3000].mean(0), x[:3000].std(0)
    x = (x - mu) / sd
    d_mu, d_sd = dose[:3000].mean(), dose[:3000].std()
    y = (dose - d_mu) / d_sd
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    crit = nn.MSELoss()
    torch.manual_seed(1)
    f = open(out / "dose_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_mse", "val_mse", "val_mae_mgL"])
    for epoch in range(1, 31):
        model.train()
        perm = torch.randperm(3000)
        tot = 0.0
        for i in range(0, 3000, 64):
            idx = perm[i:i + 64]
            pred = model(xtr[idx])
            loss = crit(pred, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
            vmse = crit(pv, yva).item()
            mae = ((pv.view(-1) - yva) * d_sd).abs().mean().item()
        row = [epoch, round(tot / 3000, 4), round(vmse, 4), round(mae, 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "x_mean": mu, "x_std": sd, "dose_mean": d_mu, "dose_std": d_sd,
                "features": COLS}, out / "alum_dose_mlp.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["shape_or_dtype_bug"],
           checkpoint="alum_dose_mlp.pt", log="dose_training.csv",
           what="alum dose MLP, (N, 1) output vs (N,) target into MSELoss: broadcast to (N, N)",
           complaint="My alum dose model for the jar tests doesn't learn anything. Train MSE is "
                     "1.00 from the first epoch to epoch 30 and val MSE stays at 0.94, val MAE 6.7 "
                     "mg/L. It recommends about 40 mg/L for every sample, whether the raw water "
                     "is 3 NTU or 150 NTU.")


if __name__ == "__main__":
    main()
