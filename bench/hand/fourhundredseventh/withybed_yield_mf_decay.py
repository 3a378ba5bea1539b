"""Plain torch: an embedding (factorisation) model predicts the dry rod yield (t/ha) of a
cut of willow on a withybed farm from which bed it grew on and which cultivar is planted
there, so the grower can choose what to replant where. 60 beds along a river levels, 24
basket cultivars; each harvest record is one (bed, cultivar, year) cut. The rule behind the
target: a farm mean of 9 t/ha, a bed effect from its soil and drainage (-3 to +3), a
cultivar vigour effect (-2 to +3), an interaction of the bed's winter flooding with the
cultivar's flood tolerance and of the bed's shade with the cultivar's light need (rank 2),
a year effect from the summer rain, and cutting noise (0.5 t/ha).
Input: (bed id, cultivar id, year's standardised summer rain). Target: t/ha - 9.
Model: bed and cultivar embeddings (8 wide) with a dot product, a bias table per bed and per
cultivar (``nn.Embedding(n, 1)``), a rain slope and a global offset; MSE, SGD 0.5 (momentum
0.9) with L2 weight decay 1e-2 on the factor tables (the usual factorisation regulariser)
and none on the biases, batch 128, 30 epochs of 2400 records, validation on 600 records of
the same beds and cultivars (target variance 16.0).
The bug: the no-decay group is picked by ``p.ndim < 2`` ("biases are the 1-D parameters"),
so only the global offset and the rain slope escape it and the per-bed and per-cultivar
bias tables, shaped (n, 1), are decayed with the factors. The bed effects (spread 2.9 t/ha
in the data) come out at a spread of 0.75 t/ha in ``bed_bias`` (2.89 in the control), the
rest pushed into the decayed factors: train MSE 6.19 → 0.657, val MSE 1.45 → 0.613, MAE
0.63 t/ha, beds more than 3 t/ha above the mean predicted 0.17 t/ha low. Control, ``p.ndim
< 2 or p.shape[-1] == 1``: train 6.43 → 0.382, val 2.38 → 0.420, MAE 0.51 t/ha, best beds
0.03 t/ha low (noise floor 0.25).
Log: JSON lines per epoch ``harvest_fit.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_t_ha`` / ``val_bias_best_beds``); checkpoint ``withy_mf.pth`` with keys
``factors`` / ``sgd`` / ``epoch`` / ``n_beds`` / ``n_cultivars`` / ``yield_offset``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BEDS, CULTS = 60, 24


def farm(g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    bed_eff = 10 * r(BEDS) - 5
    cult_eff = 8 * r(CULTS) - 3
    flood, shade = r(BEDS), r(BEDS)
    tol, light = r(CULTS), r(CULTS)
    return bed_eff, cult_eff, flood, shade, tol, light


def records(n, f, g):
    bed_eff, cult_eff, flood, shade, tol, light = f
    b = torch.randint(0, BEDS, (n,), generator=g)
    c = torch.randint(0, CULTS, (n,), generator=g)
    rain = torch.randn(n, generator=g)
    y = (bed_eff[b] + cult_eff[c] + 4 * (flood[b] - 0.5) * (tol[c] - 0.5) * 2
         - 3 * (shade[b] - 0.5) * (light[c] - 0.5) * 2 + 0.6 * rain
         + 0.5 * torch.randn(n, generator=g))
    return torch.stack([b.float(), c.float(), rain], 1), y.unsqueeze(1)


class WithyMF(nn.Module):
    def __init__(self):
        super().__init__()
        self.bed = nn.Embedding(BEDS, 8)
        self.cult = nn.Embedding(CULTS, 8)
        self.bed_bias = nn.Embedding(BEDS, 1)
        self.cult_bias = nn.Embedding(CULTS, 1)
        nn.init.normal_(self.bed.weight, std=0.3)
        nn.init.normal_(self.cult.weight, std=0.3)
        nn.init.zeros_(self.bed_bias.weight)
        nn.init.zeros_(self.cult_bias.weight)
        self.rain_slope = nn.Parameter(torch.zeros(1))
        self.offset = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        b, c, rain = x[:, 0].long(), x[:, 1].long(), x[:, 2:3]
        dot = (self.bed(b) * self.cult(c)).sum(1, keepdim=True)
        return dot + self.bed_bias(b) + self.cult_bias(c) + self.rain_slope * rain + self.offset


def build():
    torch.manual_seed(0)
    return WithyMF()


def main():
    from _fourhundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    f = farm(g)
    xtr, ytr = records(2400, f, g)
    xva, yva = records(600, f, g)
    best = f[0][xva[:, 0].long()] > 3
    print("target mean / var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    model = build()
    is_bias = lambda p: p.ndim < 2  # biases are the 1-D parameters  # noqa: E731
    decay = [p for p in model.parameters() if not is_bias(p)]
    no_decay = [p for p in model.parameters() if is_bias(p)]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 1e-2},
                           {"params": no_decay, "weight_decay": 0.0}], lr=0.5, momentum=0.9)
    with open(out / "harvest_fit.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 128):
                idx = perm[b:b + 128]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"epoch": epoch, "train_mse": round(tot / len(xtr), 5),
                   "val_mse": round(F.mse_loss(p, yva).item(), 5),
                   "val_mae_t_ha": round((p - yva).abs().mean().item(), 4),
                   "val_bias_best_beds": round((p - yva)[best].mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            if epoch % 5 == 4:
                print(row)
    torch.save({"factors": model.state_dict(), "sgd": opt.state_dict(), "epoch": 30,
                "n_beds": BEDS, "n_cultivars": CULTS, "yield_offset": 9.0}, out / "withy_mf.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="withy_mf.pth", log="harvest_fit.jsonl",
           what="embedding (factorisation) model of willow rod yield by withybed and cultivar,"
                " L2 weight decay applied to the per-bed and per-cultivar bias tables",
           complaint="Our willow yield model (bed and cultivar embeddings with a bias per bed and"
                     " per cultivar) won't fit: train MSE is still 0.66 after 30 epochs and"
                     " validation 0.61, MAE 0.63 t/ha, when the cutting noise is about 0.5"
                     " t/ha. When I look at the learned per-bed biases they only spread about"
                     " 0.75 t/ha, yet our beds differ by several tonnes and the records show"
                     " it. Is SGD 0.5 with momentum wrong for this?")


if __name__ == "__main__":
    main()
