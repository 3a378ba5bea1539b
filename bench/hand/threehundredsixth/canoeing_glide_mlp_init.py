"""Plain torch: an MLP predicts how far a touring canoe glides after the crew stops paddling
(until it is down to 0.5 m/s), from 6 numbers the outfitter logs on the lake, to size the
safety margin when the canoes come in to the dock. Physics: deceleration m·dv/dt = -c·v²
with c = ½ ρ Cd A (wetted area from hull length, beam and total load; Cd up with beam/length;
water density and viscosity from temperature; a headwind adds a small constant drag), so the
glide is (m/c)·ln(v0/v_end) minus a headwind correction; 5 % measurement noise on the tape.
Inputs (standardised with the train mean/std): hull length m (4.3-5.5), beam m (0.8-0.95),
load kg (120-280), speed at stop m/s (1.2-2.6), water °C (4-26), headwind m/s (0-6).
Target: (glide m - 58) / 14.
Model: 4 hidden ReLU layers of 128 (linear 6→128→128→128→128→1); MSE, Adam 1e-3, StepLR
(×0.3 at epoch 12), batch 50, 1500 trips, validation on 400, 18 epochs.
The bug: ``init_weights`` draws every weight from N(0, 1) (``nn.init.normal_(m.weight,
mean=0.0, std=1.0)``), far too wide for 128-unit ReLU layers: the first outputs are in the
thousands and the net never recovers. Control (``std=(2 / m.in_features) ** 0.5``, He init),
numbers in the README: the bug's train MSE is 1.03e7 in epoch 0 and 2.5e5 in
epoch 17, val MSE 7.9e5 (R² -7.4e5, MAE 9314 m); the control ends at val MSE 0.0815
(R² 0.923, MAE 3.1 m), train MSE 0.263 → 0.0150.
Log: TSV per epoch ``glide_epochs.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_m`` / ``val_r2``); checkpoint ``glide_mlp.pt`` with keys ``model_state`` /
``optimizer_state`` / ``scheduler_state`` / ``epoch`` / ``feature_mean`` / ``feature_std`` /
``target_shift``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def trips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length, beam, load = 4.3 + 1.2 * r(n), 0.8 + 0.15 * r(n), 120 + 160 * r(n)
    v0, temp, wind = 1.2 + 1.4 * r(n), 4 + 22 * r(n), 6 * r(n)
    rho = 1000 - 0.007 * (temp - 4) ** 2
    area = 0.09 * length * (load / 200) ** 0.6 + 0.3 * beam
    cd = 0.012 * (1 + 2.5 * (beam / length - 0.17)) * (1 + 0.01 * (20 - temp))
    c = 0.5 * rho * cd * area
    m = load + 30
    glide = m / c * torch.log(v0 / 0.5) * (1 - 0.04 * wind)
    glide = glide * (1 + 0.05 * torch.randn(n, generator=g))
    x = torch.stack([length, beam, load, v0, temp, wind], 1)
    return x, ((glide - 58) / 14).unsqueeze(1)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=1.0)  # standard normal init, small nets are fine
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                        nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                        nn.Linear(128, 1))
    net.apply(init_weights)
    return net


def main():
    from _threehundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = trips(1500, g)
    rva, yva = trips(400, g)
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=12, gamma=0.3)
    with open(out / "glide_epochs.tsv", "w") as log:
        log.write("epoch\ttrain_mse\tval_mse\tval_mae_m\tval_r2\n")
        for epoch in range(18):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            row = (f"{epoch}\t{tot / len(xtr):.5f}\t{vm:.5f}\t{(p - yva).abs().mean().item() * 14:.3f}"
                   f"\t{1 - vm / yva.var().item():.4f}")
            log.write(row + "\n")
            print(row)
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "scheduler_state": sched.state_dict(), "epoch": 18, "feature_mean": mean,
                "feature_std": std, "target_shift": [58, 14]}, out / "glide_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="glide_mlp.pt", log="glide_epochs.tsv",
           what="ReLU MLP predicting a touring canoe's glide distance after the crew stops"
                " paddling; every weight initialised from N(0, 1)",
           complaint="我们用一个四层的全连接网络预测独木舟停桨以后还能滑行多远。第一个 epoch 的训练"
                     " MSE 就有一千多万，18 个 epoch 以后还在二十五万左右，验证 MSE 七十多万，"
                     "平均误差九千多米，可实际滑行距离一般只有几十米。输入已经标准化，目标也缩放过，"
                     "学习率 1e-3，没有报错也没有 NaN。这是怎么回事？")


if __name__ == "__main__":
    main()
