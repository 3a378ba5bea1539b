"""Plain torch: a deep MLP reads the 24 surface pressure taps of a wing model in a wind tunnel
(12 on the upper surface, 12 on the lower, as pressure coefficients) and predicts the
section's lift coefficient and quarter-chord pitching moment, so the balance can be
cross-checked. Pressures come from an angle of attack, camber and a flap setting (suction
peak near the leading edge, flap loading at the trailing edge) with scanner noise; lift and
moment are the chordwise integrals of the pressure difference.
MLP 24 → 8 hidden layers of 48 → 2, SGD momentum 0.9, lr 0.02, batch 32, 30 epochs of 1024
runs. Log: ``train_log.jsonl`` one JSON object per epoch (ep, loss, val_loss, val_mae_cl);
checkpoint ``{"state_dict", "optimizer", "epoch", "global_step"}``.
Bug: every hidden layer uses ``nn.Sigmoid()`` — eight saturating sigmoids stacked under the
default init, so the gradient reaching the first layers is a tiny fraction of the head's.
The loss sits at the variance of the standardised targets: val loss 1.02 after epoch 1, 1.05
at epoch 10, 1.017 at epoch 30 (val MAE of the lift coefficient 0.445, the spread of the data).
Control (``nn.Sigmoid()`` → ``nn.ReLU()``, same seeds): 1.02 for the first epochs, then val
loss 0.56 at epoch 10, 0.012 at 20, 0.0045 at 30 (val MAE of CL 0.017)."""
import json
import sys

import torch
import torch.nn as nn

TAPS = 12


def pressure_runs(n, g):
    xc = torch.linspace(0.02, 0.98, TAPS)
    alpha = (-4 + 16 * torch.rand(n, 1, generator=g)) * torch.pi / 180
    camber = 0.05 * torch.rand(n, 1, generator=g)
    flap = 0.3 * torch.rand(n, 1, generator=g)
    shape = torch.sqrt((1 - xc) / xc)
    dcp = 4 * alpha * shape + 8 * camber * torch.sqrt(xc * (1 - xc)) * 2 \
        + flap * torch.exp(-((xc - 0.85) / 0.08) ** 2) * 3
    upper = -0.3 - dcp * 0.6 + 0.03 * torch.randn(n, TAPS, generator=g)
    lower = -0.3 + dcp * 0.4 + 0.03 * torch.randn(n, TAPS, generator=g)
    dx = 1 / TAPS
    cl = ((lower - upper) * dx).sum(1)
    cm = -((lower - upper) * (xc - 0.25) * dx).sum(1)
    return torch.cat([upper, lower], 1), torch.stack([cl, cm], 1)


def build():
    torch.manual_seed(0)
    layers, width = [nn.Linear(2 * TAPS, 48), nn.Sigmoid()], 48
    for _ in range(7):
        layers += [nn.Linear(width, width), nn.Sigmoid()]
    return nn.Sequential(*layers, nn.Linear(width, 2))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pressure_runs(1024, g)
    xva, yva = pressure_runs(256, g)
    xm, xs, ym, ys = xtr.mean(0), xtr.std(0), ytr.mean(0), ytr.std(0)
    xtr, xva = (xtr - xm) / xs, (xva - xm) / xs
    ttr, tva = (ytr - ym) / ys, (yva - ym) / ys
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    step = 0
    with open(out / "train_log.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = nn.functional.mse_loss(model(xtr[idx]), ttr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                step += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vl = nn.functional.mse_loss(p, tva).item()
                mae = ((p[:, 0] * ys[0] + ym[0]) - yva[:, 0]).abs().mean().item()
            rec = {"ep": ep + 1, "loss": round(tot / 1024, 5), "val_loss": round(vl, 5),
                   "val_mae_cl": round(mae, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30,
                "global_step": step}, out / "taps_to_coeffs.pth")
    finish(out, __file__, (xva[:64], tva[:64]), causes=["vanishing_gradients"],
           checkpoint="taps_to_coeffs.pth", log="train_log.jsonl",
           what="8-hidden-layer sigmoid MLP mapping wind-tunnel pressure taps to lift and moment",
           complaint="Pressure taps → CL and CM net. Loss is about 1.0 from the first epoch "
                     "and then nothing, 30 epochs flat around 1.0-1.05 on targets I "
                     "standardised, so it is just predicting the mean. A linear fit on the same "
                     "taps gets CL almost exactly (it is basically an integral). Tried a few "
                     "learning rates, same plateau.")


if __name__ == "__main__":
    main()
