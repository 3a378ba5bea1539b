"""Plain torch: an IRNN (ReLU RNN with identity-initialised recurrent weights) follows a felt
hat body through the planking (fulling) kettle, pass by pass, and gives after every pass how
far the cone has shrunk, so the planker knows when to stop before the felt is too small for
its size. 80 passes per hood; each pass has 4 inputs: kettle water temperature (°C), the acid
dose (g/l), the rolling pressure (a 1-5 setting) and the pass time (s). The rule behind the
shrinkage: each pass shrinks the felt by a fraction that grows with temperature, acid and
pressure and falls as the felt gets denser (the fibres have less room left to lock), plus a
little random per-pass noise; the target per pass is the shrinkage so far, as a share of the
starting size (0 to about 0.5). Input: (80, 4) standardised with the train mean / std;
output (80, 1). Model: nn.RNN(4, 64, nonlinearity="relu") with the recurrent weights set to
the identity, Linear 64→1 per step; MSE, SGD 0.01 momentum 0.9, batch 32, 15 epochs, 1200
hoods, validation on 300.
The bug: ``clip_grad_norm_`` is called after ``opt.step()``, so it clips gradients that
were already used; nothing bounds the step: step 1 MSE 3.39 with gradient norm 739, step 2
MSE inf, NaN from step 3 on, val MSE NaN every epoch (control, clip before the step: val MSE
0.0073 → 0.00010, val MAE 6.4 → 0.75 % of the starting size).
Log: CSV ``planking_steps.csv`` every step (``step`` / ``mse`` / ``grad_norm``, the norm
``clip_grad_norm_`` returns) and a per-epoch CSV ``planking_val.csv`` (``epoch`` /
``val_mse`` / ``val_mae_pct``); checkpoint ``irnn_planking.tar`` with keys ``rnn_and_head`` /
``sgd_momentum`` / ``epoch`` / ``x_mean`` / ``x_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 80


def hoods(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    base_temp = 70 + 25 * r(n, 1)
    temp = base_temp + 3 * torch.randn(n, T, generator=g) - torch.linspace(0, 8, T) * r(n, 1)
    acid = (1 + 4 * r(n, 1)) * (1 + 0.1 * torch.randn(n, T, generator=g))
    pres = torch.randint(1, 6, (n, 1), generator=g).float() + (r(n, T) < 0.1).float()
    secs = 20 + 20 * r(n, T)
    shrunk = torch.zeros(n)
    ys = []
    for t in range(T):
        rate = (0.0008 * (temp[:, t] - 60).clamp_min(0) + 0.0012 * acid[:, t]
                + 0.0015 * pres[:, t]) * secs[:, t] / 30
        room = (1 - shrunk / 0.55).clamp_min(0) ** 2
        shrunk = shrunk + rate * room * (1 + 0.1 * torch.randn(n, generator=g))
        ys.append(shrunk)
    return torch.stack([temp, acid, pres, secs], 2), torch.stack(ys, 1).unsqueeze(2)


class Planker(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 64, batch_first=True, nonlinearity="relu")
        self.head = nn.Linear(64, 1)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(64))
            self.rnn.bias_hh_l0.zero_()

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return Planker()


def main():
    from _threehundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = hoods(1200, g)
    rva, yva = hoods(300, g)
    mean, std = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("final shrinkage", ytr[:, -1].mean().item(), ytr[:, -1].min().item(), ytr[:, -1].max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = 0
    with open(out / "planking_steps.csv", "w", newline="") as fs, \
            open(out / "planking_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "mse", "grad_norm"])
        lv.writerow(["epoch", "val_mse", "val_mae_pct"])
        for epoch in range(15):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # keep the RNN steps in check
                step += 1
                ls.writerow([step, f"{loss.item():.6g}", f"{gn.item():.6g}"])
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            row = [F.mse_loss(pv, yva).item(), 100 * (pv - yva).abs().mean().item()]
            lv.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"rnn_and_head": model.state_dict(), "sgd_momentum": opt.state_dict(),
                "epoch": 15, "x_mean": mean, "x_std": std}, out / "irnn_planking.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="irnn_planking.tar", log="planking_steps.csv",
           what="IRNN following a felt hat body's shrinkage pass by pass through the planking"
                " kettle; gradient clipping called after the optimizer step, so it never acts",
           complaint="我们用 ReLU RNN（单位矩阵初始化）逐道预测毡帽胚在漂洗锅里的收缩量。训练一开始"
                     "第一步的 MSE 是 3.39，梯度范数 739，第二步损失就变成 inf，之后全部是 NaN，"
                     "15 个 epoch 的验证 MSE 也都是 NaN。学习率从 0.02 到 0.002 都试过，"
                     "还是几步之内就变成 NaN。")


if __name__ == "__main__":
    main()
