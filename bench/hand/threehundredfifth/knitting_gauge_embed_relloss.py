"""Plain torch: an embedding model predicts a knitter's gauge (stitches per 10 cm over a washed
swatch) from the yarn, the knitter, the needle size and the stitch, so a pattern designer's
test-knit group can pick needles without knitting a swatch for every yarn. 14 yarns (each with
its own thickness, given in wraps per inch on the ball band only loosely, and its own
springiness), 9 knitters (each knits tighter or looser), needles 2.5-6 mm, stitch: stockinette
/ garter / 2x2 rib (rib pulls in). Gauge ≈ k / (yarn thickness × (needle mm)^0.8) × the
knitter's tension × the stitch factor × the yarn's bloom after washing, ±3 % swatch noise.
Target: stitches / 10 cm, scaled (gauge - 22) / 6. Input row (N, 6): yarn id, knitter id (as
floats), needle (mm - 4) / 1, rib, garter, ball band wraps per inch (scaled); ``forward``
splits it. Model: yarn embedding 14×6, knitter embedding 9×3, concatenated with the 4 numbers →
13 → 48 → 48 → 1 with SiLU; Adam 3e-3, batch 64, 1400 swatches, validation on 350, 20 epochs.
The bug: the loss is the designer's relative gauge error computed in NumPy (``pred.detach()
.numpy()``) and wrapped back with ``torch.tensor(..., requires_grad=True)``, so backward
reaches none of the model's parameters and Adam never moves them: relative error 0.1728 (train)
/ 0.1694 (val), val MAE 5.99 stitches per 10 cm, 9.1 % within one stitch, identical in all 20
epochs. Control (the same relative error in torch on ``pred``): train 0.0944 → 0.00156, val
0.0371 → 0.00154, MAE 3.68 → 0.68 stitches, 23.7 → 78.9 % within one stitch.
Log: CSV per epoch ``swatch_fit.csv`` (``epoch`` / ``rel_err_train`` / ``rel_err_val`` /
``val_mae_stitches`` / ``val_within_1st``, share within one stitch per 10 cm); checkpoint
``gauge_embed.pt`` with keys ``net`` / ``adam`` / ``epoch`` / ``n_yarns`` / ``n_knitters`` /
``gauge_shift``."""
import csv

import numpy as np
import torch
import torch.nn as nn

NY, NK = 14, 9


def swatches(n, g, yarns, knitters):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    thick, spring, bloom = yarns
    y = torch.randint(0, NY, (n,), generator=g)
    k = torch.randint(0, NK, (n,), generator=g)
    needle = 2.5 + 3.5 * r(n)
    stitch = torch.randint(0, 3, (n,), generator=g)
    factor = torch.tensor([1.0, 1.08, 1.0])[stitch] * (1 + 0.25 * spring[y] * (stitch == 2))
    gauge = (58 / (thick[y] * needle ** 0.8) * knitters[k] * factor * bloom[y]
             * (1 + 0.03 * torch.randn(n, generator=g)))
    wpi = 1 / thick[y] * 12 * (1 + 0.1 * torch.randn(n, generator=g))
    x = torch.stack([y.float(), k.float(), needle - 4, (stitch == 2).float(),
                     (stitch == 1).float(), (wpi - 12) / 4], 1)
    return x, ((gauge - 22) / 6).unsqueeze(1)


class GaugeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.yarn = nn.Embedding(NY, 6)
        self.knitter = nn.Embedding(NK, 3)
        self.mlp = nn.Sequential(nn.Linear(13, 48), nn.SiLU(), nn.Linear(48, 48), nn.SiLU(),
                                 nn.Linear(48, 1))

    def forward(self, row):
        yarn, knitter = row[:, 0].long(), row[:, 1].long()
        return self.mlp(torch.cat([self.yarn(yarn), self.knitter(knitter), row[:, 2:]], 1))


def build():
    torch.manual_seed(0)
    return GaugeNet()


def main():
    from _threehundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    yarns = (0.6 + 0.9 * torch.rand(NY, generator=g), torch.rand(NY, generator=g),
             0.92 + 0.12 * torch.rand(NY, generator=g))
    knitters = 0.85 + 0.3 * torch.rand(NK, generator=g)
    xtr, ytr = swatches(1400, g, yarns, knitters)
    xva, yva = swatches(350, g, yarns, knitters)
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "swatch_fit.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "rel_err_train", "rel_err_val", "val_mae_stitches", "val_within_1st"])
        for epoch in range(20):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                b = perm[i:i + 64]
                pred = model(xtr[b])
                gp, gt = 22 + 6 * pred, 22 + 6 * ytr[b]
                # designer's metric: squared relative error in stitches per 10 cm
                rel = ((gp.detach().numpy() - gt.numpy()) / gt.numpy()) ** 2
                loss = torch.tensor(np.mean(rel), requires_grad=True)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(b)
            model.eval()
            with torch.no_grad():
                gv, gt = 22 + 6 * model(xva), 22 + 6 * yva
            err = (gv - gt).abs()
            row = [epoch, round(tot / len(xtr), 6), round((((gv - gt) / gt) ** 2).mean().item(), 6),
                   round(err.mean().item(), 4), round((err < 1).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epoch": 20,
                "n_yarns": NY, "n_knitters": NK, "gauge_shift": [22, 6]}, out / "gauge_embed.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="gauge_embed.pt", log="swatch_fit.csv",
           what="embedding model (yarn, knitter) + MLP predicting knitting gauge; the loss is"
                " computed in NumPy on detached predictions and re-wrapped as a new tensor",
           complaint="The gauge predictor for our test-knitters doesn't learn at all. The relative "
                     "error is 0.172846 in the first epoch and exactly 0.172846 in the twentieth, "
                     "validation 0.16942 every epoch, it predicts about 6 stitches per 10 cm off for "
                     "everything. No error messages, the loss is a normal number, the optimizer is "
                     "Adam at 3e-3. We tried 20 epochs instead of 5 and nothing changed. Is the "
                     "learning rate too small for the embeddings?")


if __name__ == "__main__":
    main()
