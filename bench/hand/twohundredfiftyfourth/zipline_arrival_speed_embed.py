"""Plain torch: an embedding + MLP model predicts a zipline rider's arrival speed (km/h) at the
landing platform, so the operator can pick the brake block. Inputs: 6 numbers (rider mass,
line length, drop, cable sag at mid-span, head wind, rider drag posture 0..1) and two
categorical ids (trolley model, 6 kinds, and line id, 10 lines) embedded to 4 and 3 dims. The
target follows an energy balance: potential energy minus rolling loss (per trolley) and air
drag (posture x wind x length), with 1.5 km/h noise. Targets standardised. Concat → MLP
13-64-32-1 (ReLU), SGD momentum 0.9, lr 5e-3, StepLR halving every 8 epochs, batch 128, 24
epochs of 3072 rides, validation on 768.
The bug: the batch loop has no ``sgd.zero_grad()``, so every ``backward`` adds onto the
gradients of all earlier batches and momentum SGD steps on an ever-growing sum. Val MSE
(standardised) 1.0563 after epoch 0 (MAE 14.9 km/h), 7.29 after epoch 1, then it runs away:
3.9e26 at epoch 23 (MAE 3.7e14 km/h). Control (``sgd.zero_grad()`` inserted before the loss
line by one sed): val MSE 0.6304 → 0.0717, val MAE 11.88 → 3.99 km/h.
Log: TSV per step (``step``, ``epoch``, ``loss``, ``lr``) plus a separate ``val.tsv`` per epoch
(``epoch``, ``val_mse``, ``val_mae_kmh``); checkpoint keys ``net_state`` / ``sgd_state`` /
``sched_state`` / ``epoch`` / ``y_mean`` / ``y_std``."""
import torch
import torch.nn as nn


def rides(n, g):
    mass = 40 + 80 * torch.rand(n, generator=g)
    length = 200 + 600 * torch.rand(n, generator=g)
    drop = 0.04 * length * (0.6 + 0.8 * torch.rand(n, generator=g))
    sag = 0.02 * length * torch.rand(n, generator=g)
    wind = -6 + 12 * torch.rand(n, generator=g)
    posture = torch.rand(n, generator=g)
    trolley = torch.randint(0, 6, (n,), generator=g)
    line = torch.randint(0, 10, (n,), generator=g)
    roll = torch.tensor([0.010, 0.014, 0.020, 0.008, 0.025, 0.017])[trolley]
    line_loss = torch.linspace(0.0, 0.2, 10)[line]
    e = 9.81 * (drop - 0.3 * sag) - 9.81 * roll * length - line_loss * 9.81 * drop
    e = e - (0.5 + posture) * (8 + wind).clamp(min=1) * length / (mass * 6)
    v = 3.6 * torch.sqrt(2 * e.clamp(min=1.0)) + 1.5 * torch.randn(n, generator=g)
    x = torch.stack([(mass - 80) / 23, (length - 500) / 173, (drop - 20) / 9, (sag - 8) / 5,
                     wind / 3.5, (posture - 0.5) * 3.5], 1)
    return x, trolley, line, v


class RideNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.trolley = nn.Embedding(6, 4)
        self.line = nn.Embedding(10, 3)
        self.mlp = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, x, trolley, line):
        return self.mlp(torch.cat([x, self.trolley(trolley), self.line(line)], -1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RideNet()


def main():
    from _twohundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ttr, ltr, vtr = rides(3072, g)
    xva, tva, lva, vva = rides(768, g)
    ym, ys = vtr.mean(), vtr.std()
    print("arrival speed mean/std km/h", ym.item(), ys.item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(xtr, ttr, ltr, (vtr - ym) / ys), batch_size=128,
        shuffle=True)
    net = build()
    sgd = torch.optim.SGD(net.parameters(), lr=5e-3, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(sgd, step_size=8, gamma=0.5)
    step = 0
    with open(out / "train.tsv", "w") as ft, open(out / "val.tsv", "w") as fv:
        ft.write("step\tepoch\tloss\tlr\n")
        fv.write("epoch\tval_mse\tval_mae_kmh\n")
        for epoch in range(24):
            net.train()
            for xb, tb, lb, yb in loader:
                loss = nn.functional.mse_loss(net(xb, tb, lb), yb)
                loss.backward()
                sgd.step()
                step += 1
                ft.write(f"{step}\t{epoch}\t{loss.item():.5f}\t{sched.get_last_lr()[0]:.6f}\n")
            sched.step()
            net.eval()
            with torch.no_grad():
                pv = net(xva, tva, lva)
            mse = nn.functional.mse_loss(pv, (vva - ym) / ys).item()
            mae = (pv * ys + ym - vva).abs().mean().item()
            fv.write(f"{epoch}\t{mse:.5f}\t{mae:.4f}\n")
            print(epoch, round(loss.item(), 4), round(mse, 4), round(mae, 3))
    torch.save({"net_state": net.state_dict(), "sgd_state": sgd.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 24, "y_mean": ym, "y_std": ys},
               out / "arrival_speed.pt")
    finish(out, __file__, {"inputs": xva[:64], "trolley": tva[:64], "line": lva[:64],
                          "targets": (vva[:64] - ym) / ys},
           causes=["missing_zero_grad"], checkpoint="arrival_speed.pt", log="train.tsv",
           what="embedding + MLP regressing zipline arrival speed, SGD with momentum",
           complaint=("我的滑索到站速度回归模型，第一个 epoch 还算正常（验证 MAE 大约 15 km/h），"
                      "从第二个 epoch 开始损失就一路暴涨，到第 24 个 epoch 验证 MSE 已经到了"
                      " 1e26 量级，完全没法用。输入和目标都做了标准化，学习率 5e-3 也不大，"
                      "是不是数据里有异常值？"))


if __name__ == "__main__":
    main()
