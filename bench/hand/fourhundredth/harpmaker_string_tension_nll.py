"""Plain torch: an MLP tells a harpmaker what tension a new string will pull at pitch, with an
error bar, so that the soundboard and neck are not overloaded when a harp is strung. 7
inputs: the sounding length (cm, 8-140), the gauge (mm, 0.5-1.3, wound strings 0.2 thicker), the note (MIDI number),
the material (nylon / gut / wound copper on silk, one-hot) and the regulating disc setting
(flat / natural / sharp as -1 / 0 / 1). Tension follows Mersenne's law, T = (2 L f)² μ, with
μ = ρ π d² / 4 (nylon 1.14 g/cm³, gut 1.30, wound about 3 times the gut core), the pitch set by
the note and disc; the measured tension scatters by 4 % for nylon, 8 % for gut (uneven
twist) and 3 % for wound strings.
Input: (7,) standardised with the train mean / std (one-hot columns too). Target:
tension / 10 kg. Model: 7→64→ReLU→64→ReLU→2 (mean and softplus spread); Gaussian
negative log-likelihood, Adam 1e-3, batch 32, 20 epochs, 2000 strings, validation on 500.
The bug: the loss is written as ``dist.Normal(mu, sigma).log_prob(yb).mean()`` (the
log-likelihood of the measured tension), not its negative, so Adam lowers the likelihood:
the spread collapses to its floor while the mean walks away from the tension; the logged
loss falls from -1.4e6 (epoch 0) to -4.2e16 (epoch 19), val NLL 2.0e7 → 4.6e16, val MAE
101 kg → 2.0e6 kg, no val string inside two sigma (control, the minus sign: train NLL 12.3 →
0.25, val NLL 3.39 → 0.19, MAE 29.7 → 5.7 kg, 96 % inside two sigma). Strings pull 2.6-241 kg
(mean 42).
Log: CSV per epoch ``harp_fit.csv`` (``epoch`` / ``nll_train`` / ``val_nll`` /
``val_mae_kg`` / ``val_cover_2sigma``); checkpoint ``tension_mlp.pth`` with keys
``model_state`` / ``opt_state`` / ``epoch`` / ``feat_mu`` / ``feat_sd`` / ``kg_scale``."""
import torch
import torch.distributions as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def strings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 8 + 132 * r(n)
    note = (96 - 60 * (length - 8) / 132 + 3 * (r(n) - 0.5)).round()
    disc = torch.randint(-1, 2, (n,), generator=g).float()
    mat = torch.randint(0, 3, (n,), generator=g)
    gauge = 0.5 + 0.6 * (length - 8) / 132 + 0.2 * r(n) + 0.2 * (mat == 2).float()
    f = 440 * 2 ** ((note + disc - 69) / 12)
    rho = torch.tensor([1.14, 1.30, 1.30 * 3.0])[mat]
    mu = rho * 3.14159 * (gauge / 10) ** 2 / 4  # g/cm
    tension = (2 * length / 100 * f) ** 2 * mu / 10 / 9.81  # N = (m/s)² kg/m, then kg
    scatter = torch.tensor([0.04, 0.08, 0.03])[mat]
    tension = tension * (1 + scatter * torch.randn(n, generator=g))
    x = torch.stack([length, gauge, note, (mat == 0).float(), (mat == 1).float(),
                     (mat == 2).float(), disc], 1)
    return x, tension


class TensionNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 2))

    def forward(self, x):
        mu, s = self.body(x).unbind(1)
        return mu, F.softplus(s) + 1e-3


def build():
    torch.manual_seed(0)
    return TensionNet()


def main():
    from _fourhundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ttr = strings(2000, g)
    rva, tva = strings(500, g)
    fmu, fsd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - fmu) / fsd, (rva - fmu) / fsd
    ytr, yva = ttr / 10, tva / 10
    print("tension kg", ttr.min().item(), ttr.max().item(), ttr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "harp_fit.csv", "w") as log:
        log.write("epoch,nll_train,val_nll,val_mae_kg,val_cover_2sigma\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                mu, sigma = model(xb)
                loss = dist.Normal(mu, sigma).log_prob(yb).mean()  # log-likelihood of the measured tension
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                mu, sigma = model(xva)
                nll = -dist.Normal(mu, sigma).log_prob(yva).mean().item()
                mae = ((mu - yva).abs().mean() * 10).item()
                cover = ((mu - yva).abs() < 2 * sigma).float().mean().item()
            log.write(f"{epoch},{tot / len(xtr):.6g},{nll:.6g},{mae:.6g},{cover:.4f}\n")
            print(epoch, tot / len(xtr), nll, mae, cover)
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 20,
                "feat_mu": fmu, "feat_sd": fsd, "kg_scale": 10.0}, out / "tension_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="tension_mlp.pth", log="harp_fit.csv",
           what="MLP with a Gaussian head predicting a harp string's tension at pitch; the"
                " log-likelihood is minimised instead of its negative",
           complaint="I'm fitting a small net that predicts string tension (kg) plus an uncertainty"
                     " for our harps. From the very first epoch the training loss goes negative"
                     " and keeps falling: -1.4 million after epoch 0 and about -4e16 by epoch 19,"
                     " which I first read as great progress. But the validation NLL goes up just"
                     " as fast, the mean absolute error went from 100 kg to 2 million kg, and not"
                     " one validation string falls inside the predicted two-sigma band.")


if __name__ == "__main__":
    main()
