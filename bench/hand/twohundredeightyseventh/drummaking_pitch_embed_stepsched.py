"""Plain torch: a drum maker's workshop model gives the fundamental of a finished tom-tom's
batter head, in Hz, from the build sheet, so the shop can pick a head and a tension rod torque
for the pitch a customer orders. Physics of an ideal drumhead: f01 = 2.405 / (2π·a) ·
sqrt(T / σ), a the head radius (diameter 8-18 inches), tension T from the rod torque (6 tension
rods under 12 inches, 8 above, 1.5-5.0 Nm each, N/m ∝ rods · torque / diameter), σ the head's
areal mass (single or double ply, 7-14 mil film), lowered by the air in the shell (a deeper
shell loads the head more: × 1/(1 + 0.25 · depth / diameter)) and by the shell wood (each of 6
species its own factor, 0.93-1.02); 2 % scatter (tuning by hand).
Shell wood embedded to 4, with standardised log diameter, rod count, log torque, log film
thickness, plies and depth / diameter → linear 10→64-Tanh-64→64-Tanh-64→1; MSE on log Hz
(standardised), SGD momentum 0.9 lr 0.05 with StepLR (×0.5 every 6 epochs), batch 50, 30
epochs, 2500 drums, validation on 500.
The bug: ``sched.step()`` sits inside the batch loop ("decay as we go"), so StepLR halves the
rate every 6 batches instead of every 6 epochs: after the first epoch (50 batches) the rate is
down 256-fold (2e-4) and it is below 1e-70 by the last epoch.
Result: lr at the start of each epoch 5e-2, 1.95e-4, 7.6e-7, ... 1.4e-74; train MSE 0.119
then 0.01957 and 0.01948 for every epoch after, val MSE 0.01779 and val MAE 4.12 Hz from
epoch 1 to 29.
Control (``sched.step()`` once per epoch): train MSE 0.140 → 0.00353, val MSE 0.0121
→ 0.00357, val MAE 3.40 → 1.81 Hz.
Log: CSV per epoch ``head_pitch.csv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_hz``); checkpoint ``pitch_embed.pt`` with keys ``params`` / ``optimizer_state`` /
``scheduler_state`` / ``epoch`` / ``woods``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

WOODS = ["maple", "birch", "mahogany", "oak", "walnut", "poplar"]
WOOD_F = torch.tensor([1.0, 1.02, 0.95, 0.99, 0.97, 0.93])


def drums(n, g):
    wood = torch.randint(0, 6, (n,), generator=g)
    dia = 8 + 10 * torch.rand(n, generator=g)
    rods = torch.where(dia < 12, 6.0, 8.0)
    torque = 1.5 + 3.5 * torch.rand(n, generator=g)
    mil = 7 + 7 * torch.rand(n, generator=g)
    plies = 1 + (torch.rand(n, generator=g) < 0.4).float()
    depth = dia * (0.5 + 0.5 * torch.rand(n, generator=g))
    a = dia * 0.0254 / 2
    tension = 900 * rods * torque / dia
    sigma = 1.4 * mil * 0.0254e-3 * 1390 * plies
    hz = 2.405 / (2 * math.pi * a) * torch.sqrt(tension / sigma)
    hz = hz / (1 + 0.25 * depth / dia) * WOOD_F[wood] * (1 + 0.02 * torch.randn(n, generator=g))
    num = torch.stack([dia.log(), rods, torque.log(), mil.log(), plies, depth / dia], 1)
    return wood, num, hz.log()


class PitchNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.wood = nn.Embedding(6, 4)
        self.mlp = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 1))

    def forward(self, wood, num):
        return self.mlp(torch.cat([self.wood(wood), num], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return PitchNet()


def main():
    from _twohundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    wtr, ntr, ytr = drums(2500, g)
    wva, nva, yva = drums(500, g)
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    ym, ys = ytr.mean(), ytr.std()
    ztr, zva = (ytr - ym) / ys, (yva - ym) / ys
    print("hz", ytr.exp().min().item(), ytr.exp().median().item(), ytr.exp().max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(wtr, ntr, ztr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)
    with open(out / "head_pitch.csv", "w") as f:
        f.write("epoch,lr,train_mse,val_mse,val_mae_hz\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for wb, nb, zb in loader:
                loss = F.mse_loss(model(wb, nb), zb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()  # decay as we go
                tot += loss.item() * len(zb)
            model.eval()
            with torch.no_grad():
                p = model(wva, nva)
                vm = F.mse_loss(p, zva).item()
                mae = ((p * ys + ym).exp() - yva.exp()).abs().mean().item()
            f.write(f"{epoch},{lr:.3e},{tot / len(ztr):.5f},{vm:.5f},{mae:.3f}\n")
            print(epoch, f"{lr:.2e}", round(tot / len(ztr), 5), round(vm, 5), round(mae, 3))
    torch.save({"params": model.state_dict(), "optimizer_state": opt.state_dict(),
                "scheduler_state": sched.state_dict(), "epoch": 30, "woods": WOODS},
               out / "pitch_embed.pt")
    finish(out, __file__, {"inputs": wva[:64], "num": nva[:64], "targets": zva[:64]},
           causes=["scheduler_step_per_batch"], checkpoint="pitch_embed.pt",
           log="head_pitch.csv",
           what="embedding + MLP giving a tom-tom head's fundamental from the build sheet;"
                " StepLR stepped every batch",
           complaint=("我们的鼓作坊用一个小网络根据制作单（鼓皮直径、螺丝数、扭矩、鼓皮厚度、"
                      "层数、鼓腔深度和木料）预测嗵鼓鼓皮的基音。第一轮之后训练损失和验证损失就"
                      "再也不动了，到小数点后四位都一样，验证误差一直停在4.1赫兹左右，后面29轮"
                      "等于白跑。数据是我们自己量的，没有问题。这是为什么？"))


if __name__ == "__main__":
    main()
