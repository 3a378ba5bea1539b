"""Plain torch: a deep MLP predicts the viscosity of a copper smelting slag (log10 Pa·s)
from the charge chemistry and the tapping temperature, so the smelter's shift lead can
adjust the silica flux before a heavy, sticky slag freezes in the launder. 7 inputs:
SiO2, FeO, CaO, Al2O3, MgO, Fe3O4 (wt %) and the tap temperature (°C). Viscosity follows
an Arrhenius law in 1/T whose activation energy rises with the silica network (SiO2 +
Al2O3) and falls with the network breakers (FeO, CaO, MgO), plus a magnetite term that
thickens the slag, and assay noise.
Input: (7,) standardised with the train mean / std. Target: log10 viscosity + 0.1 (slags
of about 0.1 to 30 Pa·s).
Model: 7→48, five more 48-wide layers, →1, all hidden activations sigmoid; MSE, SGD 0.05
(momentum 0.9), batch 50, 20 epochs, 2000 slags, validation on 500.
The bug: the hidden activation is chosen as ``act = nn.Sigmoid`` for the six hidden layers,
so the gradient reaching the first layers is scaled down by ≤ 0.25 per layer and the net
hardly moves from predicting the mean.
Effect: train MSE 1.05 → 1.00 (flat from epoch 1), val MSE 1.08 → 1.07, val MAE
0.82 → 0.83 log10 (the target's std is 0.99): the net predicts the mean (control, ``act = nn.ReLU``: train MSE 0.90 → 0.0019, val
MSE 0.154 → 0.0017, val MAE 0.31 → 0.031).
Log: CSV per epoch ``slag_visc.csv`` (``ep`` / ``mse_train`` / ``mse_val`` /
``mae_val_log10``); checkpoint ``slag_visc.pth`` with keys ``net`` / ``sgd`` / ``ep`` /
``chem_mean`` / ``chem_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def slags(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sio2 = 28 + 10 * r(n)
    feo = 35 + 15 * r(n)
    cao = 1 + 7 * r(n)
    al2o3 = 2 + 6 * r(n)
    mgo = 0.5 + 2.5 * r(n)
    fe3o4 = 2 + 10 * r(n)
    temp = 1180 + 120 * r(n)
    network = (sio2 + al2o3) / (feo + 1.4 * cao + 1.6 * mgo)
    ea = 9000 + 14000 * network  # K, Arrhenius slope
    logv = -13.0 + ea / (temp + 273) + 0.035 * (fe3o4 - 6) + 0.03 * torch.randn(n, generator=g)
    x = torch.stack([sio2, feo, cao, al2o3, mgo, fe3o4, temp], 1)
    return x, (logv + 0.1).unsqueeze(1)


def build():
    torch.manual_seed(0)
    act = nn.Sigmoid  # smooth, bounded hidden units
    layers, width = [nn.Linear(7, 48), act()], 48
    for _ in range(5):
        layers += [nn.Linear(width, width), act()]
    return nn.Sequential(*layers, nn.Linear(width, 1))


def main():
    from _threehundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = slags(2000, g)
    xva, yva = slags(500, g)
    print("target", ytr.mean().item(), ytr.std().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    net = build()
    sgd = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    with open(out / "slag_visc.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ep", "mse_train", "mse_val", "mae_val_log10"])
        for ep in range(20):
            net.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(net(xb), yb)
                sgd.zero_grad()
                loss.backward()
                sgd.step()
                tot += loss.item() * len(xb)
            net.eval()
            with torch.no_grad():
                p = net(xva)
            row = [ep, f"{tot / len(xtr):.6f}", f"{F.mse_loss(p, yva).item():.6f}",
                   f"{(p - yva).abs().mean().item():.6f}"]
            w.writerow(row)
            print(row)
    torch.save({"net": net.state_dict(), "sgd": sgd.state_dict(), "ep": 20, "chem_mean": mu,
                "chem_std": sd}, out / "slag_visc.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["saturating_activation"],
           checkpoint="slag_visc.pth", log="slag_visc.csv",
           what="7-layer sigmoid MLP predicting copper smelting slag viscosity from chemistry"
                " and tap temperature; sigmoid hidden units throughout",
           complaint=("我们用炉渣成分和出渣温度预测铜冶炼炉渣的粘度（log10）。训练了20轮，训练"
                     "损失从第2轮起一直停在1.0左右，验证MAE约0.83，几乎等于目标的标准差，"
                     "模型好像只会输出平均值。输入已经标准化了，换了随机种子也一样。"))


if __name__ == "__main__":
    main()
