"""Plain torch: a residual MLP tells a stone-picking contractor how many tonnes of stone per
hectare a field will give up at the spring picking, so the right number of trailers and
pickers is sent. 7 inputs per field: share of glacial till in the subsoil, frost days of
the past winter, years since the last picking, ploughing depth (cm), slope (%), clay share
of the topsoil and the tonnes per hectare picked last time. The rule behind the tonnage is
frost heave: each freeze-thaw winter lifts stones from the till towards the surface, more
in wet clayey soil, the plough brings up what lies above its depth, slopes shed some stones
downhill, and last picking's haul says how stony the field is; picked tonnage is weighed
on the trailer (±8 %).
Input: (7,) standardised with the train mean / std; target: (t/ha - 6) / 4. Model: Linear
7→64, 3 pre-LayerNorm residual blocks (LayerNorm, 64→128, GELU, 128→64), LayerNorm,
Linear 64→1; MSE, AdamW 2e-3 (weight decay 1e-4) with CosineAnnealingLR over the run,
batch 128, 40 epochs, 3000 fields, validation on 600.
Healthy; numbers in the README.
Log: JSON lines per epoch ``haul_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_t_ha``); checkpoint ``tonnage_resmlp.pt`` with keys ``weights`` /
``adamw`` / ``cosine`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``t_ha_center_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def fields(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    till = r(n)
    frost = 20 + 100 * r(n)
    years = torch.randint(1, 7, (n,), generator=g).float()
    depth = 15 + 15 * r(n)
    slope = 12 * r(n) ** 2
    clay = 0.05 + 0.45 * r(n)
    stony = 0.5 + r(n)
    heave = till * stony * (frost / 70) * (0.6 + clay) * torch.log1p(years) * (depth / 22) ** 1.5
    tonnes = 1.0 + 9.0 * heave * (1 - 0.03 * slope)
    prev = (0.5 + 6.0 * till * stony * (0.6 + clay)) * (1 + 0.08 * torch.randn(n, generator=g))
    tonnes = tonnes * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([till, frost, years, depth, slope, clay, prev.clamp(min=0.2)], 1)
    return x, tonnes.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(x)


class TonnageMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return TonnageMLP()


def main():
    from _threehundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ttr = fields(3000, g)
    rva, tva = fields(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = (ttr - 6.0) / 4.0, (tva - 6.0) / 4.0
    print("t/ha", ttr.mean().item(), ttr.std().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    with open(out / "haul_fit.jsonl", "w") as f:
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            cosine.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = {"epoch": epoch, "lr": round(lr, 8), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(nn.functional.mse_loss(pred, yva).item(), 6),
                   "val_mae_t_ha": round((pred - yva).abs().mean().item() * 4.0, 5)}
            f.write(json.dumps(row) + "\n")
            if epoch % 5 == 0 or epoch == 39:
                print(row)
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "cosine": cosine.state_dict(), "epoch": 40, "x_mean": mu, "x_std": sd,
                "t_ha_center_scale": (6.0, 4.0)}, out / "tonnage_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="tonnage_resmlp.pt",
           log="haul_fit.jsonl",
           what="residual MLP predicting the tonnes per hectare a spring stone picking will"
                " lift from a field (healthy)")


if __name__ == "__main__":
    main()
