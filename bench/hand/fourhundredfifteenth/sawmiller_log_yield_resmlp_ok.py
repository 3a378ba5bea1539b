"""Plain torch: a residual MLP predicts the lumber a sawmiller will get out of a hardwood
log (board feet) before it goes on the carriage, so logs can be priced at the yard. 7
inputs: small-end diameter inside bark (in, 8-30), length (ft, 8-16), taper (in of diameter
per 4 ft, 0-2), sweep (in of bow over the length, 0-6), heart rot (diameter in, 0-40 % of the
small end), saw kerf (in, 1/8-5/16), sawing pattern (0 live sawing, 1 grade sawing). The
volume follows the International 1/4-inch log rule, summed over 4-ft sections whose
diameter grows with the taper (0.22 D² - 0.71 D per section), corrected for the kerf
(0.905 × the 1/4-inch figure at 1/8 in, 1.0 at 1/4 in); sweep beyond a third of the small
end costs a share of it, rot costs its square, grade sawing loses 4 %; the mill overruns
the rule by 5-15 % at random (the sawyer, the edger).
Input: (7,) standardised with the train mean / std. Target: board feet / 100 centred on the
train mean, scaled by the train std. Model: Linear 7→64, 4 residual blocks (LayerNorm →
Linear 64→128 → GELU → Linear 128→64, added back), LayerNorm, Linear 64→1; MSE, Adam 2e-3
with ReduceLROnPlateau on the val MSE (×0.5 after 2 flat epochs), batch 128, 30 epochs,
3000 logs, validation on 750.
Healthy; numbers in the README.
Log: JSON lines per epoch ``yield_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_bf``); checkpoint ``log_yield.pth`` with keys ``weights`` /
``opt_state`` / ``plateau`` / ``epoch`` / ``feat_mu`` / ``feat_sigma`` / ``bf_center`` /
``bf_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d, length, taper = 8 + 22 * r(n), 8 + 8 * r(n), 2 * r(n)
    sweep, rot = 6 * r(n) ** 2, 0.4 * r(n) ** 2
    kerf = 0.125 + 0.1875 * r(n)
    grade_sawn = (r(n) < 0.4).float()
    bf = torch.zeros(n)
    for k in range(4):  # up to four 4-ft sections
        part = (length - 4 * k).clamp(0, 4) / 4
        dk = d + taper * k
        bf = bf + part * (0.22 * dk ** 2 - 0.71 * dk)
    bf = bf * (0.905 + 0.095 * (kerf - 0.125) / 0.125).clamp(max=1.0)
    bf = bf * (1 - ((sweep - d / 3).clamp(min=0) / d).clamp(max=0.5))
    bf = bf * (1 - rot ** 2) * (1 - 0.04 * grade_sawn)
    bf = bf * (1.05 + 0.1 * r(n))
    x = torch.stack([d, length, taper, sweep, rot * d, kerf, grade_sawn], 1)
    return x, bf / 100


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(w), nn.Linear(w, 2 * w), nn.Linear(2 * w, w)

    def forward(self, h):
        return h + self.fc2(F.gelu(self.fc1(self.norm(h))))


class YieldNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(4)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return YieldNet()


def main():
    from _fourhundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, btr = logs(3000, g)
    fva, bva = logs(750, g)
    mu, sigma = ftr.mean(0), ftr.std(0)
    center, scale = btr.mean().item(), btr.std().item()
    xtr, xva = (ftr - mu) / sigma, (fva - mu) / sigma
    ytr, yva = ((btr - center) / scale).unsqueeze(1), ((bva - center) / scale).unsqueeze(1)
    print("board feet", 100 * btr.min().item(), 100 * btr.max().item(), "scale", scale)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "yield_fit.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            val = F.mse_loss(p, yva).item()
            row = {"epoch": epoch, "lr": opt.param_groups[0]["lr"],
                   "train_mse": round(tot / 3000, 6), "val_mse": round(val, 6),
                   "val_mae_bf": round(100 * scale * (p - yva).abs().mean().item(), 3)}
            log.write(json.dumps(row) + "\n")
            print(row)
            plateau.step(val)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 30, "feat_mu": mu,
                "feat_sigma": sigma, "bf_center": center, "bf_scale": scale},
               out / "log_yield.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="log_yield.pth", log="yield_fit.jsonl",
           what="residual MLP predicting the board-foot lumber yield of a sawlog"
                " (International 1/4-inch rule, sweep, rot, kerf) (healthy)")


if __name__ == "__main__":
    main()
