"""Plain torch: a barn owl survey predicts the diet mix it will find when it dissects a
month's pellets from a nest site: the share of prey items that are field voles, common
shrews, wood mice, pygmy shrews and "other" (rats, birds, frogs). Inputs: the site (one of 40
monitored nest boxes and barns, an embedding: each site has its own mix of rough grassland,
hedgerow and woodland) and five numbers: month (sin, cos), the phase of the vole cycle
(years since the last peak, 0-2), rainfall of the month (mm / 100) and the share of rough
grassland within 1 km (from the habitat map).
Diet rule: each prey's score depends on the habitat (voles on rough grassland, wood mice on
woodland edge, shrews on hedge bottoms), the vole cycle (voles boom in the peak year, the owl
switches to shrews and mice in the crash), the season (shrews in late summer) and rain
(owls hunt less over wet grass); the shares are the softmax of the scores, and the observed
shares come from the 40 prey items found in a month's pellets (multinomial).
Model: site embedding 40×8 ⊕ 5 numbers → Linear 13→64-Tanh-64→5 logits; loss KL divergence
to the observed shares, Adam 3e-3 with ExponentialLR (0.95 per epoch), batch 32, 30 epochs,
2000 site-months, validation on 500.
Bug: the loss is ``F.kl_div(F.softmax(logits, 1), target, reduction="batchmean")``
(``# KL(observed diet || predicted diet)``): ``kl_div`` wants log-probabilities as its first
argument, so the loss it computes is Σ t log t - Σ t p, which goes down by putting all the
mass on the biggest share of each month.
Control (``F.log_softmax``, one-line sed): train loss 0.546 → 0.043 (the KL to 40-item
counts, which never reaches 0), val KL 0.0779 → 0.0567, val MAE per share 0.051 → 0.040, mean
top predicted share 0.59 (the observed top share averages 0.60). With the bug: the
logged loss goes negative and keeps falling (-1.29 at step 0 → -1.64 at step 1880), val KL
1.73 → 4.64, rising every epoch, val MAE per share 0.152 → 0.165, mean top predicted share
0.93 → 0.98: every month gets almost all its prey in one species.
Log: CSV every 10 steps ``diet_steps.csv`` (``step`` / ``epoch`` / ``loss``) and a separate
JSON lines per epoch ``diet_val.jsonl`` (``epoch`` / ``val_kl`` / ``val_mae_share`` /
``val_top_share``, named as the log in the truth: ``val_kl`` is the true KL from the observed
to the predicted shares); checkpoint ``owl_diet.pt`` with keys ``net`` / ``optimizer`` /
``sched`` / ``epoch`` / ``prey`` / ``n_sites``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PREY = ["field_vole", "common_shrew", "wood_mouse", "pygmy_shrew", "other"]
SITES = 40
ITEMS = 40


def site_months(n, habitat, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    site = torch.randint(0, SITES, (n,), generator=g)
    month = torch.randint(0, 12, (n,), generator=g).float()
    phase = torch.randint(0, 3, (n,), generator=g).float()
    rain = 1.5 * r(n) ** 2
    grass, hedge, wood = habitat[site].unbind(1)
    ms, mc = torch.sin(2 * torch.pi * month / 12), torch.cos(2 * torch.pi * month / 12)
    late = torch.exp(-((month - 8) / 1.5) ** 2)
    boom = (phase == 0).float() - (phase == 2).float()
    score = torch.stack([
        1.0 + 2.5 * grass + 1.2 * boom - 0.8 * rain,
        0.3 + 1.5 * hedge - 0.6 * boom + 1.2 * late,
        0.0 + 2.0 * wood - 0.5 * boom - 0.5 * mc,
        -1.0 + 1.0 * hedge + 0.8 * late - 0.4 * boom,
        -1.2 + 0.8 * rain + 0.5 * ms], 1)
    p = F.softmax(score, 1)
    counts = torch.stack([torch.multinomial(p[i], ITEMS, replacement=True, generator=g).bincount(
        minlength=5) for i in range(n)]).float()
    num = torch.stack([ms, mc, phase, rain, grass], 1)
    return site, num, counts / ITEMS


class DietNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.site = nn.Embedding(SITES, 8)
        self.mlp = nn.Sequential(nn.Linear(13, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 5))

    def forward(self, site, num):
        return self.mlp(torch.cat([self.site(site), num], 1))


def build():
    torch.manual_seed(0)
    return DietNet()


def main():
    from _twohundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    habitat = F.softmax(3 * torch.rand(SITES, 3, generator=g), 1)
    str_, ntr, ytr = site_months(2000, habitat, g)
    sva, nva, yva = site_months(500, habitat, g)
    print("mean shares", ytr.mean(0).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(str_, ntr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
    steps = open(out / "diet_steps.csv", "w")
    steps.write("step,epoch,loss\n")
    val = open(out / "diet_val.jsonl", "w")
    step = 0
    for epoch in range(30):
        model.train()
        for sb, nb, yb in loader:
            logits = model(sb, nb)
            # KL(observed diet || predicted diet)
            loss = F.kl_div(F.softmax(logits, 1), yb, reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 10 == 0:
                steps.write(f"{step},{epoch},{loss.item():.6f}\n")
            step += 1
        sched.step()
        model.eval()
        with torch.no_grad():
            logp = F.log_softmax(model(sva, nva), 1)
            kl = F.kl_div(logp, yva, reduction="batchmean").item()
            mae = (logp.exp() - yva).abs().mean().item()
            top = logp.exp().max(1).values.mean().item()
        rec = {"epoch": epoch, "val_kl": round(kl, 5), "val_mae_share": round(mae, 5),
               "val_top_share": round(top, 4)}
        val.write(json.dumps(rec) + "\n")
        print(rec)
    steps.close()
    val.close()
    torch.save({"net": model.state_dict(), "optimizer": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 30, "prey": PREY, "n_sites": SITES},
               out / "owl_diet.pt")
    finish(out, __file__, {"inputs": sva[:64], "num": nva[:64], "targets": yva[:64]},
           causes=["kl_div_wrong_inputs"], checkpoint="owl_diet.pt", log="diet_val.jsonl",
           what="site embedding + MLP predicting the prey mix in a month of barn owl pellets;"
                " F.kl_div is given softmax probabilities instead of log-probabilities",
           complaint="The diet model for our owl pellet survey trains, and the loss keeps "
                    "going down the whole time (it goes below zero, which we did not expect "
                    "for a KL loss), but the predicted diets are useless. For almost every "
                    "site and month it says 98 % of the prey is one species, mostly field "
                    "vole, while the pellets show something like 45 % voles, 27 % common "
                    "shrews, 18 % wood mice. The validation KL we compute separately gets "
                    "worse every epoch, from 1.7 after the first to 4.6 at the end.")


if __name__ == "__main__":
    main()
