"""Plain torch: a residual MLP predicts how many tons of coal an hour a gang of coalheavers
(coal-whippers) will whip out of a collier's hold into the lighters alongside, so the
coal-meter can book the right number of gangs and lighters for a ship. 8 inputs: gang size
(9-13 men), basket weight (cwt, 1.5-2.2), hold depth below the deck (m, 3-7), share of
small coal (0-60 %), hours already worked in the shift (0-9), rain (0/1), the ship lying
aground on the mud at low water (0/1, she lists and the whip's run gets longer), and
lighters alongside (1-3). The rule: four whippers on the ropes and the rest in the hold
filling baskets; the rate is set by the slower of the two (basket fills per minute ∝ men in
the hold, whips per minute falling with the hold depth the basket is hoisted through), ×
basket weight, less with small coal (slips off the shovel) and rain, a fatigue curve over
the shift, a 15 % loss when she is aground, and waits for an empty lighter when only one is
alongside; tally noise ± 3 %.
Input: (8,) standardised with the train mean / std. Target: tons an hour (2.7-27.9, mean
12.2, variance 18.7).
Model: Linear 8→64, 3 pre-LayerNorm residual blocks (LN, 64→128, GELU, 128→64), LN,
Linear 64→1; MSE, AdamW 3e-3 with weight decay 0.3, cosine to 0, batch 32, 30 epochs,
3000 ship-hours, validation on 800.
The bug: the parameters are split into two groups, matrices and the rest (biases and the
LayerNorm gains and shifts), but the weight decay is given once for the whole optimizer
(``torch.optim.AdamW([{"params": decay}, {"params": rest}], lr=3e-3, weight_decay=0.3)``),
so the biases and the LayerNorm gains and shifts are pulled to 0 as well and the head's
bias cannot hold the 12 t/h level: train MSE 28.7 → 0.26, val MSE 7.03 → 0.376, MAE 0.38
t/h at the end (control, ``"weight_decay": 0.0`` on the second group: train 27.9 → 0.19,
val MSE 6.12 → 0.274, MAE 0.35 t/h).
Log: CSV per epoch ``whip_fit.csv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_tph``); checkpoint ``whip_resmlp.pt`` with keys ``net`` / ``adamw`` / ``cosine``
/ ``epoch`` / ``x_mean`` / ``x_std`` / ``target``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def ship_hours(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    gang = torch.randint(9, 14, (n,), generator=g).float()
    basket = 1.5 + 0.7 * r(n)
    depth = 3 + 4 * r(n)
    small = 0.6 * r(n)
    hours = 9 * r(n)
    rain = (r(n) < 0.25).float()
    aground = (r(n) < 0.3).float()
    lighters = torch.randint(1, 4, (n,), generator=g).float()
    fills = 0.55 * (gang - 4) * (1 - 0.5 * small) * (1 - 0.12 * rain)
    whips = 9.0 / (1 + 0.12 * depth) * (1 - 0.15 * aground)
    per_min = torch.minimum(fills, whips)
    fatigue = 1 - 0.04 * hours - 0.004 * hours ** 2 + 0.08 * (hours > 4.5).float()  # dinner
    wait = torch.where(lighters == 1, 0.8, torch.where(lighters == 2, 0.95, 1.0))
    tph = per_min * 60 * basket * 0.0508 * fatigue * wait * (1 + 0.03 * torch.randn(n, generator=g))
    x = torch.stack([gang, basket, depth, small, hours, rain, aground, lighters], 1)
    return x, tph.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class WhipNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.norm = nn.LayerNorm(64)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return WhipNet()


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = ship_hours(3000, g)
    rva, yva = ship_hours(800, g)
    print("tph", ytr.min().item(), ytr.max().item(), ytr.mean().item(), ytr.var().item())
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay}, {"params": rest}], lr=3e-3, weight_decay=0.3)  # both groups
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    with open(out / "whip_fit.csv", "w") as log:
        log.write("epoch,lr,train_mse,val_mse,val_mae_tph\n")
        for epoch in range(30):
            model.train()
            lr = opt.param_groups[0]["lr"]
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [tot / len(ytr), F.mse_loss(p, yva).item(), (p - yva).abs().mean().item()]
            log.write(f"{epoch},{lr:.6f}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"net": model.state_dict(), "adamw": opt.state_dict(), "cosine": sched.state_dict(),
                "epoch": 30, "x_mean": mu, "x_std": sd, "target": "tons_per_hour"}, out / "whip_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="whip_resmlp.pt", log="whip_fit.csv",
           what="residual MLP (pre-LayerNorm) predicting a coal-whipping gang's tons an hour;"
                " AdamW weight decay applied to the biases and LayerNorm parameters too",
           complaint="Our tons-per-hour model for the coal-whipping gangs levels off too early:"
                     " after 30 epochs val MSE is still 0.38 (t/h squared), mean error 0.38 t/h,"
                     " train MSE 0.26, while the tally noise alone should be about 0.13. More"
                     " epochs only creep down and a lower learning rate was worse.")


if __name__ == "__main__":
    main()
