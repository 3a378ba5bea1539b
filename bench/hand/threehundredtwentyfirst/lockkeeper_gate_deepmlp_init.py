"""Plain torch: a deep MLP predicts the peak force on a mitre gate's hydraulic cylinder
(kN) while the lockkeeper swings the gate open, so the canal trust can flag ram seals and
pumps before they fail. 7 inputs: residual head across the gate when the swing starts
(cm), swing time set on the panel (s), wind across the lock (m/s), wind direction relative
to the gate leaf (sin, cos), water temperature (°C, viscosity), leaf weight class (t).
The force follows the gate's hydraulics: the water pushed aside grows with the square of
the swing speed, residual head adds a pressure term, wind a drag on the upper leaf; ± 4 %
from the pintle's friction on the day. Target: (kN - 60) / 25, inputs standardised.
Model: 7→64, then 6 hidden layers 64→64 with ReLU, →1; the weights initialised by hand in
``build()``. MSE, SGD 0.01 with momentum 0.9, batch 32, 12 epochs, 3000 swings, validation
on 600.
The bug: the init loop is ``nn.init.normal_(m.weight, std=0.5)  # wider init so the deep
stack doesn't start dead``; with 64 inputs per unit that multiplies the signal (and the
gradient) by about 2.8 per layer: the first step's loss is 2.6e5 with a
gradient norm of 1.9e6, the second inf, then nan: every logged train / val MSE is nan
from epoch 0 (93 of 94 steps non-finite in epoch 0) (control, ``std=(2 / m.in_features) ** 0.5``:
train MSE 0.255 → 0.029, val MSE 0.068
→ 0.070, noisy, 0.036 at its best, val MAE 4.70 → 4.52 kN, largest gradient norm 17.8 →
2.3).
Log: CSV per epoch ``gate_force.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_kn`` / ``grad_norm_max`` (finite steps) /
``nonfinite_grad_steps``); checkpoint ``gate_mlp.pt`` with keys ``weights`` /
``sgd_state`` / ``epoch`` / ``input_mean`` / ``input_std`` / ``kn_shift_scale``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def swings(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    head = 15 * r()
    swing = 40 + 80 * r()
    wind = 15 * r()
    ang = 6.2832 * r()
    temp = 2 + 20 * r()
    leaf = 8 + 12 * r()
    kn = (20 + 3.2 * leaf * (60 / swing) ** 2 * (1 + 0.01 * (12 - temp))
          + 1.6 * head + 0.12 * wind ** 2 * ang.sin().abs() + 0.2 * leaf)
    kn = kn * (1 + 0.04 * torch.randn(n, generator=g))
    x = torch.stack([head, swing, wind, ang.sin(), ang.cos(), temp, leaf], 1)
    return x, ((kn - 60) / 25).unsqueeze(1)


def build():
    torch.manual_seed(0)
    dims = [7] + [64] * 7
    layers = []
    for i, o in zip(dims[:-1], dims[1:], strict=True):
        layers += [nn.Linear(i, o), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(64, 1))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.5)  # wider init so the deep stack doesn't start dead
            nn.init.zeros_(m.bias)
    return model


def main():
    from _threehundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = swings(3000, g)
    rva, yva = swings(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    with open(out / "gate_force.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_kn", "grad_norm_max", "nonfinite_grad_steps"])
        for epoch in range(12):
            model.train()
            tot, gmax, bad = 0.0, 0.0, 0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
                if gn.isfinite():
                    gmax = max(gmax, gn.item())
                else:
                    bad += 1
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [tot / len(xtr), nn.functional.mse_loss(p, yva).item(),
                   25 * (p - yva).abs().mean().item(), gmax, bad]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 12,
                "input_mean": mean, "input_std": std, "kn_shift_scale": [60.0, 25.0]},
               out / "gate_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="gate_mlp.pt", log="gate_force.csv",
           what="deep ReLU MLP predicting the peak hydraulic force when a lock's mitre gate"
                " is swung; weights initialised with normal std 0.5",
           complaint="The gate-force model for our lock blows up. The training loss of the"
                     " first epoch is already nan, every epoch after that is nan, and the"
                     " checkpoint only gives nan predictions. The inputs and targets are"
                     " standardised and have no missing values, we checked.")


if __name__ == "__main__":
    main()
