"""Plain torch: an MLP gives the stock removal (µm) of one pitch-lap polishing run on an optical
lens blank, so the shop can set run times without over-polishing past the figure. Preston's law:
removal = Kp · pressure · relative speed · minutes, with Kp rising with the cerium oxide slurry
concentration (saturating) and the pitch temperature (softer pitch, more contact), falling with
glass hardness (Knoop), and a stroke-length term (longer strokes, more even contact); 5 %
scatter on the measured removal.
Inputs (standardised inside the module): pressure 5-25 kPa, spindle speed 20-80 rpm, minutes
5-60, slurry concentration 2-15 %, pitch temperature 18-30 °C, Knoop hardness 350-700, stroke
length 0.2-0.6 of the diameter; target removal / 10 µm.
Linear 7→64-ReLU-64→64-ReLU-64→32-ReLU-32→1, MSE, Adam 2e-3, batch 64, 30 epochs,
2400 runs, validation on 500.
Bug: the ReLU layers' biases are set to -4 at init ("start sparse"); on standardised inputs
every hidden unit is negative for every sample from the first step, nothing reaches the output
but its own bias, and the net gives one removal for every run, crawling towards the mean: val
MSE 2.702 after 30 epochs (target variance 2.39; share of dead first-layer units 1.00
throughout) vs 0.0373 for the control (bias 0.0, same seed).
Log: CSV per epoch ``removal_log.csv`` (``epoch,train_mse,val_mse,val_mae_um,dead_frac``);
checkpoint ``removal_mlp.pt`` with keys ``model`` / ``optim`` / ``epochs_done`` /
``target_um``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LO = torch.tensor([5.0, 20.0, 5.0, 2.0, 18.0, 350.0, 0.2])
HI = torch.tensor([25.0, 80.0, 60.0, 15.0, 30.0, 700.0, 0.6])


def runs(n, g):
    x = LO + (HI - LO) * torch.rand(n, 7, generator=g)
    p, rpm, mins, conc, temp, knoop, stroke = x.unbind(1)
    kp = 0.9 * (1 - torch.exp(-conc / 5)) * (1 + 0.04 * (temp - 24)) * (500 / knoop)
    kp = kp * (0.8 + 0.5 * stroke)
    um = kp * p * (rpm / 50) * mins / 20
    um = um * (1 + 0.05 * torch.randn(n, generator=g))
    return x, (um / 10).unsqueeze(1)


class RemovalMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mid", (LO + HI) / 2)
        self.register_buffer("span", (HI - LO) / 2)
        self.net = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
        for m in list(self.net)[:-1]:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
                nn.init.constant_(m.bias, -4.0)  # start sparse: only strong features fire

    def forward(self, x):
        return self.net((x - self.mid) / self.span)


def build():
    torch.manual_seed(0)
    return RemovalMLP()


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runs(2400, g)
    xva, yva = runs(500, g)
    print("um/10", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "removal_log.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_mae_um,dead_frac\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vm = F.mse_loss(p, yva).item()
                mae = ((p - yva).abs().mean() * 10).item()
                h = model.net[0]((xva - model.mid) / model.span)
                dead = ((h > 0).sum(0) == 0).float().mean().item()
            f.write(f"{epoch},{tot / len(xtr):.6f},{vm:.6f},{mae:.4f},{dead:.3f}\n")
            print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(mae, 3), dead)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epochs_done": 30,
                "target_um": 10.0}, out / "removal_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="removal_mlp.pt", log="removal_log.csv",
           what="MLP giving stock removal of a lens polishing run; ReLU biases initialised"
                " at -4 so every hidden unit is off",
           complaint="We fit a small net to predict how many microns a polishing run takes off a"
                     " lens blank. The loss only creeps down, from about 5 to 2.7 over"
                     " 30 epochs, and every run gets the same answer, a bit under the average"
                     " removal, whether it was five minutes at low"
                     " pressure or an hour at high pressure. Changing the learning rate did"
                     " nothing.")


if __name__ == "__main__":
    main()
