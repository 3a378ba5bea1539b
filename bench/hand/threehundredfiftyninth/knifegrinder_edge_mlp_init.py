"""Plain torch: an MLP predicts how sharp a knife comes off a knifegrinder's bench, as the
BESS edge-sharpness score (grams of force for the edge to cut a standard test filament; a
new razor ~50 g, a well-honed kitchen knife 120-180 g, a dull one 400 g and up), from the
sharpening job card: edge angle per side (10-25°), final stone grit (JIS 220-8000), passes
on the final stone, steel hardness (HRC 54-64), carbide volume (0-20 %), strop passes, hand
pressure (1-4 kg) and whether the bevel was reset on a coarse stone. The rule: the edge is
as fine as the last stone's scratch (particle size ≈ 14700 / JIS grit µm), wider angles and
high carbide steels cut worse, too few passes leave the old damage, a burr left by heavy
pressure on soft steel and no stropping adds a lot, each strop pass takes a little off,
BESS noise ±6 %. Target log(BESS / 150), inputs standardised.
Model: Linear 8→64 + ReLU, 64→64 + ReLU, 64→64 + ReLU, 64→1; MSE, SGD 0.02 (momentum 0.9,
Nesterov) with MultiStepLR (×0.2 at epochs 20 and 30), batch 64, 36 epochs, 2400 job cards,
validation on 600.
The bug: the constructor sets every hidden bias to ``-1.0``
(``nn.init.constant_(m.bias, -1.0)  # sparse start: fire only on a strong feature``) on top
of the default weights, so the second and third ReLU layers get a negative input on every
card from the first step and never see a gradient (all 64 units of each dead on the
validation cards, 2 of 64 in the first layer): the net predicts one value for every card,
train MSE 0.2005 → 0.1907 (target variance 0.191), val MSE 0.1830 → 0.1800, val MAE 77 →
76 g BESS over 36 epochs (control, ``nn.init.zeros_(m.bias)``: val MSE 0.0530 → 0.00741,
MAE 39.9 → 15.1 g, train 0.149 → 0.0063).
Log: TSV per epoch ``edge_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_g``); checkpoint ``bess_mlp.tar`` with keys ``weights`` / ``sgd_state`` /
``epoch`` / ``feat_mean`` / ``feat_std`` / ``target``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def job_cards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    angle = 10 + 15 * r(n)
    grit = torch.tensor([220.0, 400, 1000, 2000, 3000, 6000, 8000])[
        torch.randint(0, 7, (n,), generator=g)]
    passes = torch.randint(4, 60, (n,), generator=g).float()
    hrc = 54 + 10 * r(n)
    carbide = 20 * r(n) ** 2
    strop = torch.randint(0, 25, (n,), generator=g).float()
    pressure = 1 + 3 * r(n)
    reset = (r(n) < 0.3).float()
    scratch = 14700 / grit
    bess = 55 + 9.0 * scratch ** 0.8 + 6.0 * (angle - 10) + 2.5 * carbide
    need = 15 + 25 * reset  # passes to clear the previous edge
    bess = bess + 160 * torch.relu(need - passes) / need
    burr = torch.relu(pressure - 1.5) * torch.relu(62 - hrc) / 8
    bess = bess + 140 * burr * torch.exp(-strop / 6)
    bess = bess * (1 - 0.006 * strop.clamp(max=15))
    bess = bess * (1 + 0.06 * torch.randn(n, generator=g))
    x = torch.stack([angle, grit.log(), passes, hrc, carbide, strop, pressure, reset], 1)
    return x, torch.log(bess / 150).unsqueeze(1), bess


class EdgeMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 64), nn.ReLU())
        self.head = nn.Linear(64, 1)
        for m in self.body:
            if isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, -1.0)  # sparse start: fire only on a strong feature

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return EdgeMLP()


def main():
    from _threehundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = job_cards(2400, g)
    xva, yva, bva = job_cards(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target var", ytr.var().item(), "bess range", bva.min().item(), bva.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[20, 30], gamma=0.2)
    with open(out / "edge_fit.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_g\n")
        for epoch in range(36):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            val = nn.functional.mse_loss(pv, yva).item()
            mae = (150 * pv.exp() - bva.unsqueeze(1)).abs().mean().item()
            f.write(f"{epoch}\t{lr:.5g}\t{tot / len(xtr):.6f}\t{val:.6f}\t{mae:.3f}\n")
            print(epoch, round(tot / len(xtr), 5), round(val, 5), round(mae, 2))
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 36,
                "feat_mean": mu, "feat_std": sd, "target": "log(bess_g / 150)"},
               out / "bess_mlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="bess_mlp.tar", log="edge_fit.tsv",
           what="plain MLP predicting a knifegrinder's BESS edge sharpness from the job card;"
                " every hidden bias initialised to -1.0, most ReLU units dead",
           complaint="Our sharpness predictor has been training for 36 epochs and it gives"
                     " every knife the same score, about 150 g BESS, whether it's a fresh 8000"
                     " grit edge or a 220 grit reset. Train MSE went from 0.20 to 0.19 and then"
                     " didn't move at all; MAE is stuck at 76 g. Lowering the LR later on"
                     " changed nothing.")


if __name__ == "__main__":
    main()
