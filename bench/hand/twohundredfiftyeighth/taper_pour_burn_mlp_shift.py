"""Plain torch: an MLP predicts how many hours a poured candle burns from the chandler's pour
card: diameter (cm), height (cm), wick size (the supplier's number, 1-6), soy share of the wax
blend, fragrance load (%) and pour temperature (°C). Burn time follows the wax mass over the
melt rate: mass grows with diameter² × height, the wick sets the melt rate, soy burns slower
than paraffin, fragrance oil speeds it up; pour temperature does not matter. Inputs are
standardised with the training mean/std, the target in hours with the training mean/std. MLP
6-48-48-1 with ReLU, Adam 2e-3, batch 64, 40 epochs of 1500 candles.
The bug: the training set is the container line (diameters 6-9 cm) while validation is drawn
from the new taper moulds (diameters 1.8-2.8 cm, wicks 1-2), a region the net never saw. Train
MSE reaches 0.005 but val MSE, 0.019 at epoch 3, climbs back to 0.08-0.20 from epoch 7 on and
ends at 0.136, val MAE 3.0 h on tapers that burn 3.6 h on average; control (validation drawn like training): val MSE 0.0082, val MAE
0.66 h on 21 h. Log: CSV per epoch (``epoch,mse,val_mse,
val_mae_h``); checkpoint keys ``state`` / ``opt_state`` / ``epochs_done``."""
import torch
import torch.nn as nn


def candles(n, g, dia=(6.0, 9.0), wick=(2, 7)):
    d = dia[0] + (dia[1] - dia[0]) * torch.rand(n, generator=g)
    h = 6 + 10 * torch.rand(n, generator=g)
    w = torch.randint(wick[0], wick[1], (n,), generator=g).float()
    soy = torch.rand(n, generator=g)
    frag = 4 + 6 * torch.rand(n, generator=g)
    pour = 70 + 20 * torch.rand(n, generator=g)
    mass = 0.75 * d ** 2 * h
    rate = (1.5 + 1.2 * w) * (1 - 0.25 * soy) * (1 + 0.03 * (frag - 4))
    hours = mass / rate / 4 * (1 + 0.03 * torch.randn(n, generator=g))
    return torch.stack([d, h, w, soy, frag, pour], 1), hours


def train_set():
    return candles(1500, torch.Generator().manual_seed(0))


class BurnMLP(nn.Module):
    def __init__(self, x_mean, x_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.net = nn.Sequential(nn.Linear(6, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)


def build():
    x, _ = train_set()
    torch.manual_seed(0)
    return BurnMLP(x.mean(0), x.std(0))


def main():
    from _twohundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr = train_set()
    ym, ys = ytr.mean(), ytr.std()
    g = torch.Generator().manual_seed(1)
    xva, yva = candles(400, g, dia=(1.8, 2.8), wick=(1, 3))  # check it on the new taper moulds
    print("hours train mean/std", ym.item(), ys.item(), "val mean", yva.mean().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "burn_log.csv", "w") as f:
        f.write("epoch,mse,val_mse,val_mae_h\n")
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(xb), (yb - ym) / ys)
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            vm = nn.functional.mse_loss(pv, (yva - ym) / ys).item()
            mae = (pv * ys + ym - yva).abs().mean().item()
            line = f"{epoch},{tot / len(ytr):.4f},{vm:.4f},{mae:.3f}"
            f.write(line + "\n")
            print(line)
    torch.save({"state": model.state_dict(), "opt_state": opt.state_dict(), "epochs_done": 40},
               out / "burn_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="burn_mlp.pt", log="burn_log.csv",
           what="candle burn-time MLP trained on container candles, validated on taper moulds",
           complaint=("My burn-time model fits the training candles almost perfectly (train MSE"
                      " 0.005) but the validation MSE was best at epoch 3 (0.02) and has climbed"
                      " back to 0.1-0.2 since, and the mean error is 3 hours on candles that only"
                      " burn 3-4 hours, so it is useless on them. Is the network overfitting?"
                      " Should I add dropout or weight decay?"))


if __name__ == "__main__":
    main()
