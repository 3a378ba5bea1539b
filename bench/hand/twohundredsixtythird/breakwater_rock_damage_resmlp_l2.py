"""Plain torch: a residual MLP predicts the damage level S a rubble-mound breakwater's rock
slope takes in a design storm, from 7 numbers a coastal engineer varies in a design study:
significant wave height, peak period, nominal stone diameter Dn50, relative buoyant density of
the rock, slope cot(alpha), number of waves in the storm and notional permeability. The target
follows a Van der Meer style stability law: the stability number Hs / (delta Dn50) against the
surf similarity parameter and permeability, damage growing with the fifth power of the
stability number and the square root of the number of waves; it is fitted as log S,
standardised with the training mean/std, with 10 % scatter on S. Residual MLP: Linear(7, 64),
3 blocks x + W2 relu(W1 x), ReLU, Linear(64, 1); inputs standardised with training stats; MSE;
SGD lr 0.03, momentum 0.9, batch 50, 30 epochs of 1000 designs, validation on 200.
The bug: an explicit L2 term is added to the loss, ``L2 = 0.5`` times the sum of all squared
weights ("strong ridge term, keeps the fit smooth for design use"); the penalty (155 at
step 0) dominates the data term and pins the weights near zero (sum of squares 0.69–1.04 from
epoch 5): step data MSE 0.74 → 0.20–0.90, val MSE 0.57 → 0.44–0.58 (0.487 at the end), val
MAE of log S 1.29 → 1.10–1.29 (1.17 at the end), no trend after epoch 1. Control
(``L2 = 1e-5``): val MSE 0.068 → 0.0045, val MAE of log S 0.46 → 0.116, last step MSE
0.0015.
Log: ``train_steps.csv`` per step (``global_step`` / ``epoch`` / ``data_mse`` / ``penalty``)
and ``val_epochs.csv`` per epoch (``epoch`` / ``val_mse`` / ``val_mae_logS``); checkpoint
``rock_resmlp.pt`` with ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch`` / ``l2``."""
import torch
import torch.nn as nn

L2 = 0.5  # strong ridge term, keeps the fit smooth for design use


def designs(n, g):
    def u(a, b):
        return a + (b - a) * torch.rand(n, generator=g)
    hs, tp, dn = u(1.5, 5.0), u(6, 14), u(0.8, 2.0)
    delta, cot, nw, perm = u(1.4, 1.8), u(1.5, 4.0), u(1000, 7000), u(0.1, 0.6)
    ns = hs / (delta * dn)
    xi = (1 / cot) / torch.sqrt(2 * torch.pi * hs / (9.81 * tp ** 2))
    s = (ns / (6.2 * perm ** 0.18 * xi ** -0.5)) ** 5 * torch.sqrt(nw) * 30
    s = s * (1 + 0.1 * torch.randn(n, generator=g)).clamp(min=0.5)
    return torch.stack([hs, tp, dn, delta, cot, nw, perm], 1), torch.log(s)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(torch.relu(self.fc1(x)))


class RockResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(torch.relu(self.blocks(self.inp(x)))).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RockResMLP()


def main():
    from _twohundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ltr = designs(1000, g)
    xva, lva = designs(200, g)
    xm, xs, lm, ls = xtr.mean(0), xtr.std(0), ltr.mean(), ltr.std()
    print("log S mean/std", lm.item(), ls.item())
    xtr, xva = (xtr - xm) / xs, (xva - xm) / xs
    ytr, yva = (ltr - lm) / ls, (lva - lm) / ls
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=50, shuffle=True)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.03, momentum=0.9)
    step = 0
    with open(out / "train_steps.csv", "w") as ft, open(out / "val_epochs.csv", "w") as fv:
        ft.write("global_step,epoch,data_mse,penalty\n")
        fv.write("epoch,val_mse,val_mae_logS\n")
        for epoch in range(30):
            net.train()
            for xb, yb in loader:
                opt.zero_grad()
                mse = nn.functional.mse_loss(net(xb), yb)
                penalty = sum((p ** 2).sum() for p in net.parameters())
                (mse + L2 * penalty).backward()
                opt.step()
                ft.write(f"{step},{epoch},{mse.item():.5f},{penalty.item():.4f}\n")
                step += 1
            net.eval()
            with torch.no_grad():
                p = net(xva)
            vm = nn.functional.mse_loss(p, yva).item()
            mae = ((p - yva).abs().mean() * ls).item()
            fv.write(f"{epoch},{vm:.5f},{mae:.4f}\n")
            print(epoch, round(mse.item(), 4), round(penalty.item(), 3), round(vm, 4),
                  round(mae, 4))
    torch.save({"model_state_dict": net.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "l2": L2}, out / "rock_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="rock_resmlp.pt", log="train_steps.csv",
           what="breakwater rock-damage residual MLP with an explicit L2 penalty of 0.5 times"
                " the squared weights added to the loss",
           complaint=("防波堤护面块石损伤的残差 MLP 回归（预测 log S）几乎学不动："
                      "训练 MSE 在 0.2 到 0.9 之间来回跳，验证 MSE 从第二个 epoch 起"
                      "一直在 0.45 到 0.58 之间，log S 的平均误差 1.2，预测值几乎都挤在"
                      "平均值附近，浪高大和块石小的设计也预测不出大损伤。输入都做了标准化，"
                      "公式本身是很平滑的经验公式。是网络太浅、还是学习率不对？"))


if __name__ == "__main__":
    main()
