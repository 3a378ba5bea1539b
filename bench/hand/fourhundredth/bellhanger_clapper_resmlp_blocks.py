"""Plain torch: a residual MLP tells a bellhanger where a bell's strike note (its nominal,
in cents from A 440 Hz) will sit, from the founder's drawing and the tower survey, so that a
second-hand bell can be matched to a ring before it is tuned on the lathe. 8 inputs: the mouth
diameter (cm, 40-150), the soundbow thickness (as a share of the diameter, 1/15-1/11), the
weight (kg), the tin share of the bronze (18-24 %), the profile (old English / Taylor /
continental as 0 / 1 / 2), the age (years since casting, 0-400; old bells were often
skimmed inside), the casting temperature offset (°C) and the number of lathe passes
already taken. The nominal follows f = k t / D² (the plate-bending rule for a bell of
given profile), k set by the profile and the alloy's stiffness, each skimming pass taking
some thickness and flattening the note, with a porosity effect for hot castings (nominals
260-1480 Hz, -890 to +2100 cents); the founder's sheet rounds the measurements; 3 cents of
strike-note reading noise.
Input: (8,) standardised with the train centre / scale. Target: cents / 1000. Model: Linear
8→64, 3 residual blocks (LayerNorm, 64→128→GELU→64, added back), LayerNorm, Linear 64→1; MSE,
Adam 1e-3 with ReduceLROnPlateau(0.5, patience 2) on the val MSE, batch 64, 25 epochs,
2400 bells, validation on 600.
The bug: the blocks are kept in a plain Python list, ``self.blocks = [Block(64) for _ in
range(3)]``, so ``model.parameters()`` never yields them and Adam only ever moves the
input layer, the final LayerNorm and the head (the blocks get gradients every step that
nothing applies; they are missing from the checkpoint too): val MSE 0.0760 → 0.00264 in
25 epochs (target variance 0.436), MAE 231 → 40 cents (control, ``nn.ModuleList([...])``:
val MSE 0.0101 → 0.00054, MAE 77 → 18 cents).
Log: CSV every 15 steps ``bell_steps.csv`` (``it`` / ``mse``) and a per-epoch JSON lines
file ``bell_val.jsonl`` (``epoch`` / ``val_mse`` / ``val_mae_cents`` / ``lr``, named as
the log in the truth); checkpoint ``nominal_resmlp.pt`` with keys ``model`` /
``optimizer`` / ``plateau`` / ``epoch`` / ``x_center`` / ``x_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def bells(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    diam = 40 + 110 * r(n)
    thick = 1 / (11 + 4 * r(n))
    tin = 18 + 6 * r(n)
    profile = torch.randint(0, 3, (n,), generator=g)
    age = 400 * r(n) ** 2
    hot = 40 * (r(n) - 0.5)
    passes = torch.randint(0, 6, (n,), generator=g).float()
    skim = 1 - 0.012 * passes - 0.04 * (age > 150).float() * r(n)
    weight = 0.55 * diam ** 3 * thick * 0.1 / 100 * (1 + 0.05 * profile) * skim
    k = torch.tensor([1.0, 1.06, 0.97])[profile] * (1 + 0.012 * (tin - 21))
    f = 6.4e5 * k * (diam * thick * skim) / diam ** 2
    f = f * (1 - 0.0008 * F.relu(hot) ** 1.5 / 10)
    cents = 1200 * torch.log2(f / 440)  # from the A above middle C
    cents = cents + 3 * torch.randn(n, generator=g)
    x = torch.stack([diam.round(), thick, weight.round(), tin.round(), profile.float(),
                     age.round(), hot.round(), passes], 1)
    return x, cents


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class NominalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = [Block(64) for _ in range(3)]  # three residual blocks
        self.norm = nn.LayerNorm(64)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h = self.inp(x)
        for blk in self.blocks:
            h = blk(h)
        return self.head(self.norm(h))


def build():
    torch.manual_seed(0)
    return NominalNet()


def main():
    from _fourhundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ctr = bells(2400, g)
    rva, cva = bells(600, g)
    center, scale = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - center) / scale, (rva - center) / scale
    ytr, yva = (ctr / 1000).unsqueeze(1), (cva / 1000).unsqueeze(1)
    print("cents", ctr.min().item(), ctr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    it = 0
    with open(out / "bell_steps.csv", "w") as slog, open(out / "bell_val.jsonl", "w") as vlog:
        slog.write("it,mse\n")
        for epoch in range(25):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if it % 15 == 0:
                    slog.write(f"{it},{loss.item():.6f}\n")
                it += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            plateau.step(vm)
            row = {"epoch": epoch, "val_mse": vm, "val_mae_cents": (p - yva).abs().mean().item() * 1000,
                   "lr": opt.param_groups[0]["lr"]}
            vlog.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 25, "x_center": center,
                "x_scale": scale}, out / "nominal_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="nominal_resmlp.pt", log="bell_val.jsonl",
           what="residual MLP predicting a bell's strike-note offset in cents from its drawing;"
                " the residual blocks sit in a plain list, so the optimizer never holds them",
           complaint="Our bell nominal predictor is stuck at about 40 cents mean error on"
                     " validation (val MSE 0.0026 after 25 epochs), which is nearly half a"
                     " semitone, no use for matching bells. It is a 3-block residual MLP and I"
                     " expected it to get down to the reading noise (a few cents). The loss still"
                     " drifts down slowly but the plateau scheduler never even kicks in. Does a"
                     " residual MLP just not work for this kind of tabular data?")


if __name__ == "__main__":
    main()
