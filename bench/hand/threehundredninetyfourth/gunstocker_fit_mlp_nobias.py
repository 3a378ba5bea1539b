"""Plain torch: an MLP tells a gunstocker whether a finished stock will fit the customer it
was cut for, from the customer's try-gun measurements and the stock's dimensions, so misfits
are caught before checkering and oiling. 8 inputs: arm length (in, 23-31), eye-to-cheekbone
height (in, 1.1-2.3), shoulder width (in, 15-20), the stock's length of pull (in), drop at
comb (in), cast at heel (in), its weight (lb) and wood grade (1-5). The fitter's rule: the
ideal pull is 13.0 + 0.55 × (arm - 26), the ideal drop 1.1 + 0.4 × cheek, the ideal cast
0.08 + 0.06 × (shoulder - 17); a stock fits when the pull is within 0.55 in, the drop within
0.22 in and the cast within 0.17 in of the ideal (weight and grade play no part). Stocks are
cut near the ideal (pull ± 0.45, drop ± 0.18, cast ± 0.14 in, one sd), so about 45 % fit.
Input: (8,) standardised with the train mean / std. Target: 1 = fits. Model: 8→64→ReLU→
64→ReLU→1, every layer built by ``lin``; BCE with logits, Adam 3e-3 with ExponentialLR
(×0.95 per epoch), batch 128, 40 epochs, 4000 fitted stocks, validation on 1000.
The bug: ``lin`` builds its layers with ``bias=False`` (the comment trusts the standardised
inputs), so the whole net is positively homogeneous, f(a·x) = a·f(x) for a > 0: its verdict
is the same all along a ray from the average stock, and "close enough to the ideal" is a
band the net can only roughly fake: val BCE 0.657 → 0.325, val acc 0.54 → 0.841 (control,
``bias=True``: val BCE 0.657 → 0.158, val acc 0.56 → 0.924).
Log: CSV per epoch ``fit_epochs.csv`` (``epoch`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_acc`` / ``val_f1``); checkpoint ``stockfit.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def fittings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda: torch.randn(n, generator=g)  # noqa: E731
    arm, cheek, shoulder = 23 + 8 * r(n), 1.1 + 1.2 * r(n), 15 + 5 * r(n)
    ideal_pull = 13.0 + 0.55 * (arm - 26)
    ideal_drop = 1.1 + 0.4 * cheek
    ideal_cast = 0.08 + 0.06 * (shoulder - 17)
    pull, drop, cast = ideal_pull + 0.45 * z(), ideal_drop + 0.18 * z(), ideal_cast + 0.14 * z()
    weight, grade = 1.6 + 0.6 * r(n), torch.randint(1, 6, (n,), generator=g).float()
    fits = (((pull - ideal_pull).abs() < 0.55) & ((drop - ideal_drop).abs() < 0.22)
            & ((cast - ideal_cast).abs() < 0.17)).float()
    return torch.stack([arm, cheek, shoulder, pull, drop, cast, weight, grade], 1), fits


def lin(i, o):
    return nn.Linear(i, o, bias=False)  # weights only, the inputs are standardised


class FitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(lin(8, 64), nn.ReLU(), lin(64, 64), nn.ReLU(), lin(64, 1))

    def forward(self, x):
        return self.layers(x)


def build():
    torch.manual_seed(0)
    return FitNet()


def main():
    from _threehundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = fittings(4000, g)
    rva, yva = fittings(1000, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = ytr.unsqueeze(1), yva.unsqueeze(1)
    print("fit share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
    with open(out / "fit_epochs.csv", "w") as log:
        log.write("epoch,lr,bce,val_bce,val_acc,val_f1\n")
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            tp = (pred * yva).sum().item()
            f1 = 2 * tp / max(1.0, pred.sum().item() + yva.sum().item())
            row = [tot / len(xtr), F.binary_cross_entropy_with_logits(logit, yva).item(),
                   (pred == yva).float().mean().item(), f1]
            log.write(f"{epoch},{lr:.6f}," + ",".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 40, "feat_mean": mean,
                "feat_std": std}, out / "stockfit.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="stockfit.pth", log="fit_epochs.csv",
           what="MLP saying whether a gunstock fits its customer (pull / drop / cast within"
                " tolerance of the ideal); every Linear built with bias=False",
           complaint="Our stock-fit checker is stuck around 84 % accuracy on held-out stocks"
                     " and the validation loss hardly moves after epoch 20 (about 0.32). The"
                     " rule it has to learn is simple (each dimension within a tolerance of"
                     " the ideal), a fitter gets it right every time, and a wider net or more"
                     " epochs did not help.")


if __name__ == "__main__":
    main()
