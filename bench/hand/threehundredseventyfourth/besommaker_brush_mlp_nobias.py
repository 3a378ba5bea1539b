"""Plain torch: an MLP tells a besom-maker how many days a stack of cut birch brush must
season before it is dry enough to bind (about 20 % moisture: green twigs snap in the
binding and shrink loose in the head afterwards). Inputs per stack: mean twig butt diameter
(mm), stack height (m), days after the winter solstice the brush was cut, and the mean air
temperature (°C), relative humidity (%) and wind (m/s) over the drying; every stack stands
in the open. Drying follows a first-order rule: moisture falls from 45 % (winter-cut birch)
towards the air's equilibrium moisture (4-18 %, from the humidity) at a rate that grows
with temperature and wind and falls with the square of the twig diameter and with stack
height. Days to 20 % come out at 2-170 (median 20), with 8 % weather noise. Input: (6,)
standardised with the train mean / std; target ln(days) (mean 2.92, std 0.76; not centred).
Model: 6→64→ReLU→64→ReLU→32→ReLU→1 built from one ``dense`` helper; MSE, Adam 2e-3 with
StepLR (x0.5 every 15 epochs), batch 64, 45 epochs, 2400 stacks, validation on 600.
The bug: ``dense`` builds every layer as ``nn.Linear(i, o, bias=False)`` (inputs are
standardised, so the maker thought no offsets were needed); with no bias anywhere the net is
a positively homogeneous function of the standardised inputs (f(tx) = t f(x)), 0 at the
average stack where ln(days) is about 2.9: val MSE 0.572 → 0.251 on ln(days) (target
variance 0.58), val MAE 11.5 → 9.8 days, train MSE 3.36 → 0.31 by epoch 5, then only
creeping to 0.215
(control, ``bias=True``: val MSE 0.393 → 0.0081, val MAE 10.5 → 1.75 days, train 3.17 →
0.0075).
Log: TSV per epoch ``seasoning.tsv`` (``epoch`` / ``lr`` / ``mse`` / ``val_mse`` /
``val_mae_days``); checkpoint ``brush_mlp.pth`` with keys ``mlp`` / ``opt_state`` /
``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``target``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FEATURES = ["butt_mm", "stack_m", "cut_day", "temp_c", "rh_pct", "wind_ms"]


def stacks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    diam = 4 + 8 * r(n)
    height = 0.5 + 1.5 * r(n)
    cut = 100 * r(n)
    temp = 3 + 12 * r(n) + 0.06 * cut
    rh = 55 + 40 * r(n)
    wind = 0.5 + 5 * r(n)
    m_eq = 4 + 14 * ((rh - 55) / 40) ** 1.5
    k = 0.04 * (1 + 0.08 * temp) * (1 + 0.25 * wind) * (6 / diam) ** 2 / (0.6 + 0.5 * height)
    days = torch.log((45 - m_eq) / (20 - m_eq)) / k
    days = days * torch.exp(0.08 * torch.randn(n, generator=g))
    x = torch.stack([diam, height, cut, temp, rh, wind], 1)
    return x, days


def dense(i, o):
    return nn.Linear(i, o, bias=False)  # inputs are standardised, so no offsets needed


class SeasonMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(dense(6, 64), nn.ReLU(), dense(64, 64), nn.ReLU(),
                                 dense(64, 32), nn.ReLU(), dense(32, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return SeasonMLP()


def main():
    from _threehundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, dtr = stacks(2400, g)
    rva, dva = stacks(600, g)
    print("days", dtr.min().item(), dtr.mean().item(), dtr.max().item())
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = dtr.log().unsqueeze(1), dva.log().unsqueeze(1)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=15, gamma=0.5)
    with open(out / "seasoning.tsv", "w") as log:
        log.write("epoch\tlr\tmse\tval_mse\tval_mae_days\n")
        for epoch in range(45):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [tot / len(xtr), F.mse_loss(pred, yva).item(),
                   (pred.exp() - yva.exp()).abs().mean().item()]
            log.write(f"{epoch}\t{lr:.6g}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"mlp": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 45, "feat_mean": mu,
                "feat_std": sd, "target": "ln_days"}, out / "brush_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="brush_mlp.pth", log="seasoning.tsv",
           what="MLP predicting how many days cut birch brush must season before a besom-maker"
                " binds it; every Linear layer built with bias=False",
           complaint="Small MLP for how long our birch brush has to season before we bind besoms."
                     " Six inputs (twig thickness, stack height, cut date, temperature, humidity,"
                     " wind), log of the days as the target. Training MSE drops to about 0.3 within"
                     " five epochs and then barely moves (0.21 after 45), validation sits at 0.25,"
                     " and the"
                     " predictions are still about 10 days out on average - the pile-by-pile"
                     " guess my dad makes is better than that.")


if __name__ == "__main__":
    main()
