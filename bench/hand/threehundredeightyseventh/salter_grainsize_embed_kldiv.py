"""Plain torch: an embedding model predicts how a day's rake of sea salt from a salter's pan
will split over the five sieve fractions the works sells (fine < 0.5 mm, table 0.5-1 mm,
coarse 1-2 mm, crystal 2-4 mm, and flake: the hollow hopper crystals that grow floating on
the surface) from which pan it is, the month and the brine. Grain size is set by how fast
salt drops out: slow evaporation (cool, humid, still days) and longer gaps between rakes let
fewer crystals grow bigger, fast evaporation makes many small ones; flakes form on warm, calm
days on a quiet surface; each pan has its own depth, shelter and clay floor (an
unmeasured pan effect), each month its own sun. The fractions are the masses of a
log-normal grain size (median 0.4-3 mm) in each sieve band plus the flake share, with
sampling noise, as the sieving lab reports them.
Input: pan id (0-15), month id (0-7, March-October) and 4 standardised numbers (brine
density °Bé, evaporation mm/day, days since the last rake, wind m/s). Model: Embedding 16→6
(pan) and 8→3 (month) concatenated with the numbers, Linear 13→64, ReLU, Linear 64→64, ReLU,
Linear 64→5 (scores over the fractions); the target is the measured fraction vector, the
loss KL(target ‖ predicted) through ``F.kl_div``; Adam 3e-3 with ReduceLROnPlateau (×0.5,
patience 2, on val KL), batch 64, 16 epochs, 3200 rakes, validation on 800.
The bug: ``loss = F.kl_div(F.softmax(logits, 1), yb, reduction="batchmean")  # KL(lab ||
predicted)`` hands ``kl_div`` probabilities where it takes log-probabilities, so the loss is
Σ t·(log t - p), minimised by putting all mass on the largest measured fraction: the logged
loss is negative from the first step (-1.31 → -1.62) while the true val KL rises every
epoch, 1.22 → 6.09, the mean absolute error of the fractions 0.158 → 0.195 (top-fraction
accuracy 0.62 → 0.77) (control, ``F.log_softmax(logits, 1)``: loss 0.48 → 0.006, val KL
0.073 → 0.0087, MAE 0.052 → 0.020, top-fraction accuracy 0.74 → 0.90).
Log: one JSON lines file ``sieve_log.jsonl`` with ``{"kind": "step", step, kl}`` every 10
steps and ``{"kind": "epoch", epoch, lr, val_kl, val_mae_frac, val_top_frac_acc}`` per epoch
(``val_kl`` is the true KL(lab ‖ predicted), ``val_mae_frac`` the mean absolute error of the
fractions); checkpoint ``sieve_embed.pt`` with keys ``state`` / ``optim`` / ``plateau`` /
``epoch`` / ``num_mean`` / ``num_std`` / ``fractions``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FRACTIONS = ["fine", "table", "coarse", "crystal", "flake"]
EDGES = torch.tensor([0.5, 1.0, 2.0])  # mm; above 2 mm is crystal


def rakes(n, g, pan_fx, month_sun):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pan = torch.randint(0, 16, (n,), generator=g)
    month = torch.randint(0, 8, (n,), generator=g)
    be = 25.8 + 3.5 * r(n)
    evap = (2 + 6 * r(n)) * month_sun[month]
    gap = 1 + torch.randint(0, 6, (n,), generator=g).float()
    wind = 0.5 + 7 * r(n)
    logmed = (0.1 - 0.25 * (evap - 5) + 0.18 * (gap - 3) + 0.1 * (be - 27.5) + pan_fx[pan, 0])
    med = torch.exp(logmed).clamp(0.4, 3.0)
    sig = 0.5 + 0.1 * pan_fx[pan, 1].abs()
    cdf = lambda d: 0.5 * (1 + torch.erf((torch.log(d) - torch.log(med.unsqueeze(1)))  # noqa
                                         / (sig.unsqueeze(1) * math.sqrt(2))))
    c = cdf(EDGES.expand(n, 3))
    bands = torch.cat([c[:, :1], c[:, 1:] - c[:, :-1], 1 - c[:, 2:]], 1)
    flake = (torch.sigmoid(1.2 * (evap - 5) - 0.9 * (wind - 3) + 2 * pan_fx[pan, 2]) * 0.5)
    y = torch.cat([bands * (1 - flake.unsqueeze(1)), flake.unsqueeze(1)], 1)
    y = (y * torch.exp(0.15 * torch.randn(n, 5, generator=g))).clamp(min=1e-4)
    y = y / y.sum(1, keepdim=True)
    num = torch.stack([be, evap, gap, wind], 1)
    return pan, month, num, y


class SieveNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.pan = nn.Embedding(16, 6)
        self.month = nn.Embedding(8, 3)
        self.mlp = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 5))

    def forward(self, pan, month, num):
        return self.mlp(torch.cat([self.pan(pan), self.month(month), num], 1))


def build():
    torch.manual_seed(0)
    return SieveNet()


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    pan_fx = 0.4 * torch.randn(16, 3, generator=g)
    month_sun = torch.tensor([0.55, 0.7, 0.85, 1.0, 1.05, 0.95, 0.8, 0.6])
    ptr, mtr, ntr, ytr = rakes(3200, g, pan_fx, month_sun)
    pva, mva, nva, yva = rakes(800, g, pan_fx, month_sun)
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    print("mean fractions", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ptr, mtr, ntr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    step = 0
    with open(out / "sieve_log.jsonl", "w") as log:
        for epoch in range(16):
            model.train()
            for pb, mb, xb, yb in dl:
                logits = model(pb, mb, xb)
                loss = F.kl_div(F.softmax(logits, 1), yb, reduction="batchmean")  # KL(lab || predicted)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"kind": "step", "step": step, "kl": loss.item()}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                p = F.softmax(model(pva, mva, nva), 1)
            val_kl = (yva * (yva.log() - p.clamp(min=1e-12).log())).sum(1).mean().item()
            plateau.step(val_kl)
            rec = {"kind": "epoch", "epoch": epoch, "lr": opt.param_groups[0]["lr"],
                   "val_kl": val_kl, "val_mae_frac": (p - yva).abs().mean().item(),
                   "val_top_frac_acc": (p.argmax(1) == yva.argmax(1)).float().mean().item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state": model.state_dict(), "optim": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 16, "num_mean": mu, "num_std": sd,
                "fractions": FRACTIONS}, out / "sieve_embed.pt")
    finish(out, __file__, {"inputs": nva[:64], "pan": pva[:64], "month": mva[:64],
                           "targets": yva[:64]},
           causes=["kl_div_wrong_inputs"], checkpoint="sieve_embed.pt", log="sieve_log.jsonl",
           what="embedding model predicting a salt pan's sieve fractions; F.kl_div given"
                " softmax probabilities instead of log-probabilities",
           complaint="The training loss of my sieve-fraction model is negative from the very first"
                     " step (-1.31) and keeps going down to -1.62, but when I compute the KL"
                     " divergence against the lab sieve results on the validation rakes myself,"
                     " it gets worse every epoch: 1.2 after the first, 6.1 after the last. The"
                     " predicted fractions are off by 0.2 on average, worse than after epoch 1.")


if __name__ == "__main__":
    main()
