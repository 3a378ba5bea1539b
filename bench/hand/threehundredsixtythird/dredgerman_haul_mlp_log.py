"""Plain torch: an MLP estimates how much coal a Thames dredgerman's drag will bring up, for a
river-history project that rebuilt the ledgers of a family of dredgermen working the bed
below the colliers' tiers at Wapping, where coal spilled from the whippers' baskets. Inputs
per drag: tide height over the bed, distance from the nearest collier tier, drag length,
gravel or mud bottom, hours since the colliers there last unloaded, colliers in the tier.
The rule behind the haul: coal in proportion to the colliers unloading, falling off with the
distance from the tier (about 40 m), more on gravel than in mud, picked over by other boats
as the hours pass, in proportion to the drag; a lognormal spread of about 40 %, and about one
drag in a hundred comes up empty (the dredge skated over the bed, more often at high tide).
Hauls run from under a kilo to about 200 kg.
Input: 6 standardised numbers. Target: kg / 10, the prediction a softplus. Model: Linear
6→64, SiLU, Linear 64→64, SiLU, Linear 64→1; squared error of the logs, Adam 1e-3 with
StepLR(8, 0.5), batch 64, 20 epochs of 2400 drags, validation on 600.
The bug: the loss takes ``torch.log`` of the prediction and of the target as they are, and
the empty drags have a target of exactly 0: ``log(0) = -inf``, the first batch holding an
empty drag (31 of the 2400 are empty) gives an infinite loss at step 4 (1.70, 1.96, 1.76,
1.84 before it) and infinite gradients, Adam turns them into NaN weights, and from step 5 on
every loss and every prediction is NaN (train and val log MSE NaN every epoch, val MAE NaN;
control, ``torch.log1p`` on both: val log MSE 0.271 → 0.0720, val MAE 14.4 → 7.9 kg against
20.2 kg for the mean haul; hauls average 24.6 kg).
Log: JSON lines per epoch ``haul_fit.jsonl`` (``epoch`` / ``lr`` / ``train_log_mse`` /
``val_log_mse`` / ``val_mae_kg``) and a CSV every 10 steps ``haul_steps.csv`` (``step`` /
``log_mse``); checkpoint ``dredge_mlp.ckpt`` with keys ``weights`` / ``opt`` / ``epoch`` /
``feat_mean`` / ``feat_std`` / ``kg_unit``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def drags(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    tide = 1 + 6 * r(n)
    dist = 80 * r(n) ** 1.5
    length = 10 + 40 * r(n)
    gravel = (r(n) < 0.4).float()
    hours = 48 * r(n)
    colliers = torch.randint(1, 9, (n,), generator=g).float()
    kg = (0.9 * colliers * torch.exp(-dist / 40) * (0.5 + 0.5 * gravel) * length
          * torch.exp(-hours / 30))
    kg = kg * torch.exp(0.4 * torch.randn(n, generator=g))
    empty = r(n) < 0.004 + 0.0022 * tide
    kg = torch.where(empty, torch.zeros_like(kg), kg)
    return torch.stack([tide, dist, length, gravel, hours, colliers], 1), (kg / 10).unsqueeze(1)


class HaulMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return F.softplus(self.net(x))


def build():
    torch.manual_seed(0)
    return HaulMLP()


def main():
    from _threehundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = drags(2400, g)
    xva, yva = drags(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("empty drags", (ytr == 0).sum().item(), "mean kg", 10 * ytr.mean().item(),
          "mae of mean", 10 * (yva - ytr.mean()).abs().mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, 8, 0.5)
    step = 0
    with open(out / "haul_fit.jsonl", "w") as log, open(out / "haul_steps.csv", "w") as steps:
        steps.write("step,log_mse\n")
        for epoch in range(20):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 64):
                idx = perm[b:b + 64]
                xb, yb = xtr[idx], ytr[idx]
                pred = model(xb)
                loss = F.mse_loss(torch.log(pred), torch.log(yb))  # hauls span two decades
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                if step % 10 == 0:
                    steps.write(f"{step},{loss.item():.6g}\n")
                step += 1
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
                val = F.mse_loss(torch.log1p(p), torch.log1p(yva)).item()
                mae = 10 * (p - yva).abs().mean().item()
            row = {"epoch": epoch, "lr": lr, "train_log_mse": round(tot / len(xtr), 6),
                   "val_log_mse": round(val, 6), "val_mae_kg": round(mae, 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "feat_mean": mu, "feat_std": sd, "kg_unit": 10.0}, out / "dredge_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="dredge_mlp.ckpt", log="haul_fit.jsonl",
           what="MLP estimating a Thames dredgerman's coal per drag, loss on the log of"
                " targets that are sometimes exactly 0",
           complaint="My haul-weight regression dies within the first few steps. The step log shows"
                     " loss 1.70, 1.96, 1.76, 1.84, then inf at step 4 and nan at every step after"
                     " that; train and validation log MSE are nan for all 20 epochs and so is the"
                     " validation MAE in kg. The inputs are standardised and have no NaNs in them.")


if __name__ == "__main__":
    main()
