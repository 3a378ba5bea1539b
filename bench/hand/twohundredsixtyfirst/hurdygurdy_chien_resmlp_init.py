"""Plain torch: a residual MLP predicts the crank speed (rev/s) at which a hurdy-gurdy's trompette
string starts to chatter (the chien lifts off the soundboard), from 9 luthier set-up numbers: chien
tirant tension, chien weight, wheel diameter, wheel rosin age, string gauge, string height over
the wheel, cotton wrap thickness, key pressure and room humidity. The threshold follows the
chien's balance of torques (tension x lever vs. weight) divided by the wheel's grip (rosin,
cotton, height), plus 0.05 rev/s of noise. Linear 9→64, 3 residual blocks (Linear-ReLU-Linear +
skip) → Linear 1, Adam 1e-3 with exponential decay 0.95/epoch, batch 128, 30 epochs of 2048 set-ups,
val 512.

Bug (bad_weight_init): a custom ``init_weights`` draws every Linear weight from N(0, 1) ("plain
gaussian init"), so with 64-wide layers each layer multiplies activations by ~8 and the residual
stack starts with outputs in the hundreds of thousands. Measured: train MSE 9.7e10 in epoch 0, val MSE
3.05e9 after 30 epochs; the control (std ``(2 / m.in_features) ** 0.5``, He init) reaches val
MSE 0.129 (train 0.037).
Log: ``history.csv`` per epoch (ep, lr, train_mse, val_mse, val_mae_revs). Checkpoint
``chien_resmlp.ckpt`` keys ``state_dict`` / ``optimizer`` / ``sched`` / ``ep``."""
import torch
import torch.nn as nn


def setups(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    tension, weight, wheel, rosin = 0.5 + r(), 2 + 3 * r(), 15 + 5 * r(), r()
    gauge, height, cotton, press, hum = 0.8 + 0.6 * r(), 0.5 + r(), r(), r(), r()
    lever = tension * (1 + 0.5 * gauge) * (1 + 0.3 * height)
    grip = (1.2 - 0.6 * rosin) * (0.5 + cotton) * wheel / 17
    y = 0.5 + 1.5 * (weight / 3.5) / (lever * grip) + 0.05 * torch.randn(n, generator=g)
    x = torch.stack([tension, weight, wheel, rosin, gauge, height, cotton, press, hum], 1)
    return (x - x.mean(0)) / x.std(0), y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return torch.relu(x + self.f(x))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=1.0)  # plain gaussian init
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(9, 64), nn.ReLU(), Block(64), Block(64), Block(64),
                          nn.Linear(64, 1))
    model.apply(init_weights)
    return model


def main():
    from _twohundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = setups(2048, g)
    xva, yva = setups(512, g)
    print("threshold mean/std", ytr.mean().item(), ytr.std().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
    mse = nn.MSELoss()
    with open(out / "history.csv", "w") as f:
        f.write("ep,lr,train_mse,val_mse,val_mae_revs\n")
        for ep in range(30):
            model.train()
            total = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = mse(model(xb).squeeze(-1), yb)
                loss.backward()
                opt.step()
                total += loss.item() * len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva).squeeze(-1)
            f.write(f"{ep},{lr:.3e},{total / len(ytr):.5f},{mse(pv, yva).item():.5f},"
                    f"{(pv - yva).abs().mean().item():.4f}\n")
            print(ep, round(total / len(ytr), 5), round(mse(pv, yva).item(), 5))
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 30}, out / "chien_resmlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="chien_resmlp.ckpt", log="history.csv",
           what="residual MLP regressing hurdy-gurdy chien chatter threshold, Linear weights"
                " initialised from N(0, 1)",
           complaint=("I build hurdy-gurdies and fit a small residual net to predict the crank"
                      " speed where the chien starts chattering. The first epoch loss is around"
                      " 1e11, it comes down but never gets anywhere near useful; a linear"
                      " fit in a spreadsheet does better. Same data works fine in sklearn."))


if __name__ == "__main__":
    main()
