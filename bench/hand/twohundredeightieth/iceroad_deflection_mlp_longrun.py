"""Plain torch: an MLP predicts the peak deflection (mm) of a floating ice road under a loaded
truck, from the crossings the ice road crew logged this season with a deflection gauge on the
shoulder: ice thickness (cm, auger hole), ice temperature (C at mid-depth), snow on the lane
(cm), gross vehicle weight (20-50 t), speed (km/h), water depth under the lane (m), plus the columns
the data logger writes anyway (hour of day, air temperature, lane number, trailer axles).
Physics: a plate on an elastic foundation, deflection ~ P / sqrt(k D) with D ~ E h^3 and
warmer ice softer; the dynamic amplification 1 / |1 - (v / v_c)^2| capped at 2, with the
critical speed v_c growing with the water depth (shallow water, slow waves); 20 % gauge
scatter. 100 crossings for training, 150 for validation; inputs standardised, target mm / 10.
Linear 10→256-ReLU-256→256-ReLU-256→1, MSE, Adam 1e-3 constant, batch 16.
The bug: ``EPOCHS = 500  # only 100 crossings logged, epochs are cheap`` — a 70 k-weight net
run for 3.5 k steps over 100 noisy rows, with nothing to stop it.
Result: train MSE 2.795 → 0.000001 (below 0.0001 from epoch ~90 on), val MSE 0.953 → best
0.399 at epoch 10, then 0.43-0.49 for the rest of the run, 0.477 at epoch 500 (val MAE 4.59 →
5.25 mm); the train/val gap grows from 0.06 to 0.48.
Control (``EPOCHS = 12``): train MSE 2.795 → 0.293, val MSE 0.953 → 0.390 (val MAE 7.53 → 4.48
mm).
Log: CSV every 10 epochs ``deflection_log.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_mm``); checkpoint ``deflection_mlp.pt`` with keys ``net_state`` / ``opt_state`` /
``x_mean`` / ``x_std`` / ``epochs``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 500  # only 100 crossings logged, epochs are cheap


def crossings(n, g):
    u = torch.rand(n, 10, generator=g)
    h = 60 + 50 * u[:, 0]
    temp = -25 + 23 * u[:, 1]
    snow = 30 * u[:, 2] ** 2
    gvw = 20 + 30 * u[:, 3]
    v = 5 + 30 * u[:, 4]
    depth = 1 + 9 * u[:, 5]
    hour, air, lane, axles = 24 * u[:, 6], -35 + 30 * u[:, 7], (u[:, 8] * 2).floor(), 2 + (u[:, 9] * 4).floor()
    e = 5 - 0.12 * temp  # GPa, colder ice stiffer
    load = gvw + 0.004 * snow * 10
    w = 18 * load / 40 / ((e / 7) * (h / 70) ** 3) ** 0.5
    vc = 30 * (depth / 4) ** 0.5  # km/h
    amp = (1 / (1 - (v / vc) ** 2).abs().clamp(min=0.5))
    w = w * amp * (1 + 0.2 * torch.randn(n, generator=g))
    x = torch.stack([h, temp, snow, gvw, v, depth, hour, air, lane, axles], 1)
    return x, w


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 1))


def main():
    from _twohundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crossings(100, g)
    xva, yva = crossings(150, g)
    print("deflection mm", ytr.min().item(), ytr.median().item(), ytr.max().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = ytr / 10, yva / 10
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    with open(out / "deflection_log.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_mae_mm\n")
        for epoch in range(1, EPOCHS + 1):
            net.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(net(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            if epoch == 1 or epoch % 10 == 0 or epoch == EPOCHS:
                net.eval()
                with torch.no_grad():
                    p = net(xva).squeeze(1)
                    v = F.mse_loss(p, yva).item()
                    mae = 10 * (p - yva).abs().mean().item()
                row = f"{epoch},{tot / n:.6f},{v:.6f},{mae:.3f}"
                print(row)
                f.write(row + "\n")
    torch.save({"net_state": net.state_dict(), "opt_state": opt.state_dict(), "x_mean": mu,
                "x_std": sd, "epochs": EPOCHS}, out / "deflection_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="deflection_mlp.pt", log="deflection_log.csv",
           what="wide MLP predicting ice road deflection under trucks from 100 logged crossings,"
                " trained 500 epochs",
           complaint=("I'm fitting the deflection-gauge readings from our ice road crossings so "
                      "we can set load and speed limits per section. The training error just "
                      "keeps going down and looks fantastic, but on the crossings I held back "
                      "the error got better for a while and now it's worse than it was early "
                      "on, and the predictions for new trucks jump around. Which number do I "
                      "believe, and what should I change?"))


if __name__ == "__main__":
    main()
