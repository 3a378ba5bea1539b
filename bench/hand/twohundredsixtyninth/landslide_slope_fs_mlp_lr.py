"""Plain torch: a ReLU MLP stands in for the infinite-slope stability check on a regional
landslide inventory: it predicts the factor of safety of a hillslope cell from 6 field and map
numbers: slope angle β (°), effective cohesion c' (kPa), friction angle φ' (°), soil unit weight
γ (kN/m³), depth to the slip surface z (m) and the pore-pressure ratio from the piezometer
network (m = saturated fraction of z). FS = c' / (γ z sin β cos β) + (1 - m γw/γ) tan φ' /
tan β, plus 3 % multiplicative noise (field scatter); the target is log FS. Inputs
standardised with the training mean/std. Linear 6→128-ReLU-128-ReLU-64-ReLU→1, MSE, Adam,
batch 128, 18 epochs of 3072 cells, validation on 768 cells (val MSE, val MAE in FS, share of
cells put on the wrong side of FS = 1).
The bug: the optimiser is built with ``lr=0.2  # Adam barely moved at 1e-3 on the first
inventory, go bigger``. The first epoch blows up (train MSE 6535,
val MSE 9.36) and knocks most ReLUs off for good: on the 768 validation cells 0.8 % of layer-1,
85 % of layer-2 and 98 % of layer-3 units (63 of 64) never fire after 18 epochs. Result: train
MSE 2.10 (epoch 2) → 0.270 (epoch 9) → 0.216 (epoch 18), val MSE 0.222, val FS MAE 0.52, 34 %
of cells on the wrong side of FS = 1 from epoch 9 on (the share of failing cells is 33 %).
Control (``lr=1e-3``): train MSE 0.079 → 0.0012, val MSE 0.0149 → 0.0015, val FS MAE 0.136
→ 0.044, wrong side 5.2 % → 1.8 %; 0 %, 5 % and 25 % of units never fire.
Log: JSON lines per epoch (``epoch`` / ``train_mse`` / ``val_mse`` / ``val_fs_mae`` /
``val_wrong_side``) in ``slope_fs.jsonl``; checkpoint ``slope_fs_mlp.ckpt`` with keys
``mlp`` / ``adam`` / ``epochs_done`` / ``in_mean`` / ``in_std`` / ``columns``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["slope_deg", "cohesion_kpa", "phi_deg", "gamma_kn_m3", "depth_m", "m_sat"]


def cells(n, g):
    beta = 15 + 30 * torch.rand(n, generator=g)
    c = 12 * torch.rand(n, generator=g)
    phi = 25 + 15 * torch.rand(n, generator=g)
    gam = 17 + 4 * torch.rand(n, generator=g)
    z = 0.5 + 3.5 * torch.rand(n, generator=g)
    m = torch.rand(n, generator=g)
    b, p = beta * math.pi / 180, phi * math.pi / 180
    fs = c / (gam * z * torch.sin(b) * torch.cos(b)) + (1 - m * 9.81 / gam) * torch.tan(p) / torch.tan(b)
    fs = fs * (1 + 0.03 * torch.randn(n, generator=g))
    return torch.stack([beta, c, phi, gam, z, m], 1), fs


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _twohundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, fstr = cells(3072, g)
    rva, fsva = cells(768, g)
    print("FS median", fstr.median().item(), "share < 1", (fstr < 1).float().mean().item())
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = fstr.log(), fsva.log()
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.2)  # Adam barely moved at 1e-3 on the first inventory, go bigger
    with open(out / "slope_fs.jsonl", "w") as f:
        for epoch in range(1, 19):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva).squeeze(1)
            row = {"epoch": epoch, "train_mse": round(tot / len(ytr), 5),
                   "val_mse": round(F.mse_loss(p, yva).item(), 5),
                   "val_fs_mae": round((p.exp() - fsva).abs().mean().item(), 4),
                   "val_wrong_side": round(((p < 0) != (yva < 0)).float().mean().item(), 4)}
            print(row)
            f.write(json.dumps(row) + "\n")
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epochs_done": 18,
                "in_mean": mean, "in_std": std, "columns": COLUMNS}, out / "slope_fs_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="slope_fs_mlp.ckpt", log="slope_fs.jsonl",
           what="ReLU MLP for landslide factor of safety trained with Adam at lr 0.05",
           complaint=("Factor-of-safety surrogate for our landslide inventory stalls: after a"
                      " wild first epoch (train MSE in the thousands) the loss settles"
                      " around 0.2-0.27 on log FS and stops improving, and a third of the"
                      " validation cells end up on the wrong side of FS = 1, about what you"
                      " get by calling every slope stable. The infinite-slope formula is"
                      " smooth, the inputs are standardised, and the net has three hidden"
                      " layers of 128/128/64. Why won't it fit?"))


if __name__ == "__main__":
    main()
