"""Plain torch: an MLP predicts how many days a grey heron brood needs from hatching to
fledging (the first chick standing on the nest rim and leaving it), from what the colony
monitor records in the first 10 days at a nest in a heronry: mean chick mass gain g/day,
brood size, the nest's height in the tree (m), the hatching date (days after 1 March), the
mean air temperature, rain days, the share of feeds that were fish (against amphibians /
voles), feeds per day and the distance to the nearest fishing water (km). Broods that grow
fast, are small, early and well fed fledge sooner; cold wet springs and long flights to the
water slow them down; some broods have an unrecorded parasite load. Target: days, raw
(mean 49, sd 8, 24-68 in training). Inputs standardised with the training mean and std.
Model: 9 → 32 → 32 → 1, tanh, the output bias started at the training mean; Huber loss (delta 2 days), AdamW 3e-3 with two parameter
groups, batch 64, 40 epochs over 1500 nests, validation on 400.
The bug: the two groups (weights / biases) are written one under the other and the
second one kept the first's ``"weight_decay": 0.5`` (copy-paste), so every bias, the
output bias that must carry the ~49-day mean included, is decayed. Train Huber 9.94 → 1.92, val Huber 8.25 → 1.87, val
MAE 5.04 → 1.63 days, the validation predictions short in every epoch (mean error -1.26 →
-0.67 days) (control, the bias group at ``"weight_decay": 0.0``: train Huber 9.58 → 1.04,
val Huber 7.56 → 1.07, val MAE 4.69 → 1.20 days, mean error +0.39 → +0.22).
Log: TSV per epoch ``fledge_fit.tsv`` (``epoch`` / ``huber`` / ``val_huber`` /
``val_mae_days`` / ``val_bias_days``); checkpoint ``fledge_mlp.pt`` with keys
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch`` / ``x_mean`` / ``x_std`` /
``columns``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

COLUMNS = ["gain_g_day", "brood", "nest_height_m", "hatch_doy", "temp_c", "rain_days",
           "fish_share", "feeds_day", "water_km"]


def nests(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    brood = torch.randint(1, 6, (n, 1), generator=g).float()
    hatch = 10 + 70 * r(n, 1)
    temp = 6 + 0.1 * hatch + 3 * torch.randn(n, 1, generator=g)
    rain = torch.poisson(3 + 2 * r(n, 1), generator=g)
    fish = 0.4 + 0.5 * r(n, 1)
    water = 0.3 + 6 * r(n, 1) ** 2
    feeds = (6 - 0.5 * water + 0.6 * brood + torch.randn(n, 1, generator=g)).clamp(min=1)
    height = 8 + 15 * r(n, 1)
    parasite = (r(n, 1) < 0.15).float()
    gain = (feeds * (25 + 20 * fish) / brood / 2.2 * (1 - 0.3 * parasite)
            + 2 * torch.randn(n, 1, generator=g))
    days = (50 - 0.2 * (gain - 30) + 1.2 * (brood - 3) + 0.02 * (hatch - 45) - 0.35 * (temp - 10)
            + 0.6 * rain / 3 + 0.8 * water + 3 * parasite + 1.2 * torch.randn(n, 1, generator=g))
    x = torch.cat([gain, brood, height, hatch, temp, rain, fish, feeds, water], 1)
    return x, days


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = nests(1500, g)
    xva, yva = nests(400, g)
    print("days", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    model = build()
    with torch.no_grad():
        model[-1].bias.fill_(ytr.mean().item())  # start the head at the mean fledging age
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    opt = torch.optim.AdamW([{"params": weights, "weight_decay": 0.5},
                             {"params": biases, "weight_decay": 0.5}], lr=3e-3)
    with open(out / "fledge_fit.tsv", "w") as f:
        f.write("epoch\thuber\tval_huber\tval_mae_days\tval_bias_days\n")
        for epoch in range(40):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.huber_loss(model(xtr[idx]), ytr[idx], delta=2.0)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [tot / len(xtr), F.huber_loss(p, yva, delta=2.0).item(), (p - yva).abs().mean().item(),
                   (p - yva).mean().item()]
            f.write(f"{epoch}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 40, "x_mean": mu, "x_std": sd, "columns": COLUMNS}, out / "fledge_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="fledge_mlp.pt", log="fledge_fit.tsv",
           what="MLP predicting grey heron brood days to fledging from the first 10 days of"
                " colony monitoring; AdamW with weight decay on the bias group too",
           complaint="Our fledging-age model stalls at a mean error of about 1.6 days and it"
                     " calls almost every brood too early: on the validation nests it is short"
                     " by 0.7 days on average, in every epoch. The training loss stops"
                     " falling at about 1.9 as well, although the monitoring data are clean"
                     " and the nests are well recorded.")


if __name__ == "__main__":
    main()
