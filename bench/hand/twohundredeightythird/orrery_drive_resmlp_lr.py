"""Plain torch: a residual MLP predicts the motor torque (mN·m) a hand-built brass orrery needs
at its crank, so the maker can pick a motor and gearhead before the wheels are cut. Inputs per
design: number of planets driven (2-8), number of gear meshes in the train (6-30), total brass
mass on the arms (0.2-3 kg), mean arm radius (5-25 cm), bearing type (0 = plain bush, 1 = ball
race) and workshop temperature (5-30 C, oil viscosity). Physics: bearing friction moment
mu(T) x load x shaft radius for every arbor, each mesh loses 2-4 % (efficiency multiplied along
the train), arm imbalance adds a small term that grows with radius; 5 % scatter.
Inputs standardised, target log(torque). Linear 6→64, 3 residual blocks (LayerNorm-Linear-GELU-
Linear, skip), linear 64→1; MSE, batch 64, 30 epochs, 2000 designs, validation on 500.
The bug: the optimizer line ``opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
# small net, be aggressive``: the step is far too large for this loss.
Result: the per-step MSE goes 15.3, 18.9, 3.9e7, inf and is NaN from step 5 on;
val MSE and MAPE NaN in all 30 epochs, every saved weight NaN.
Control (``lr=0.01``): step MSE 15.3, 9.3, 1.45 at step 3, 0.0017 at the last step;
val MSE 0.138 → 0.0089, val MAPE 37.5 % → 7.7 % (5 % scatter in the data).
Log: CSV per step ``drive_steps.csv`` (``step`` / ``mse``) and a CSV per epoch
``drive_val.csv`` (``epoch`` / ``val_mse`` / ``val_mape_pct``); checkpoint
``drive_resmlp.ckpt`` with keys ``weights`` / ``opt`` / ``x_mu`` / ``x_sd`` / ``epochs``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def designs(n, g):
    u = torch.rand(n, 6, generator=g)
    planets = (2 + 7 * u[:, 0]).floor().clamp(max=8)
    meshes = (6 + 25 * u[:, 1]).floor().clamp(max=30)
    mass = 0.2 + 2.8 * u[:, 2]
    radius = 5 + 20 * u[:, 3]
    ball = (u[:, 4] < 0.5).float()
    temp = 5 + 25 * u[:, 5]
    mu = (0.12 * (1 - ball) + 0.01 * ball) * (1 + 0.04 * (20 - temp).clamp(min=0))
    bearing = mu * (mass * 9.81 + 2) * 4 * planets  # mN·m, 4 mm shafts
    eff = (0.97 - 0.01 * torch.rand(n, generator=g)) ** meshes
    imbalance = 0.4 * mass * radius / planets
    torque = (bearing + imbalance) / eff
    torque = torque * (1 + 0.05 * torch.randn(n, generator=g))
    x = torch.stack([planets, meshes, mass, radius, ball, temp], 1)
    return x, torque.log().unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), Block(64), Block(64), Block(64), nn.Linear(64, 1))


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = designs(2000, g)
    xva, yva = designs(500, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("log torque", round(ytr.min().item(), 2), round(ytr.max().item(), 2),
          "var", round(ytr.var().item(), 3))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)  # small net, be aggressive
    step = 0
    with open(out / "drive_steps.csv", "w") as fs, open(out / "drive_val.csv", "w") as fv:
        fs.write("step,mse\n")
        fv.write("epoch,val_mse,val_mape_pct\n")
        for epoch in range(1, 31):
            model.train()
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                fs.write(f"{step},{loss.item():.6g}\n")
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                vm = F.mse_loss(pv, yva).item()
                mape = ((pv - yva).exp() - 1).abs().mean().item() * 100
            fv.write(f"{epoch},{vm:.6g},{mape:.4g}\n")
            print(epoch, round(loss.item(), 4), round(vm, 4), round(mape, 2))
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(), "x_mu": mu, "x_sd": sd,
                "epochs": 30}, out / "drive_resmlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="drive_resmlp.ckpt", log="drive_val.csv",
           what="residual MLP predicting an orrery's crank torque; SGD learning rate 0.3",
           complaint=("I'm trying to predict how much torque the crank of an orrery needs "
                       'from a few design numbers. The loss is 15 on the first step, climbs on'
                       ' the second, is in the tens of millions on the third and from then on '
                       "it's NaN, every epoch, validation too. I've checked the design table "
                       'for NaNs and infinities and there are none; the targets are logs, all '
                       'between 0.5 and 6. What is producing the NaN?'))


if __name__ == "__main__":
    main()
