"""Plain torch: a residual MLP predicts the shade (CIELAB L*, a*, b*) a dyemaker will get on
wool yarn from a three-dye acid recipe, so the lab can match a customer's swatch in fewer
trial dyeings. 7 inputs: red, yellow and blue dye (% on weight of fibre, 0-2.5), bath
temperature (°C, 80-100), time at the boil (min, 20-75), pH (3.5-6) and liquor ratio
(1:10-1:40). Each dye exhausts onto the fibre by first-order uptake (rate rising with
temperature, Arrhenius-like, and with acidity; blue slowest, a longer liquor ratio leaves
more behind); Kubelka-Munk K/S at three bands from the dyes on the fibre plus the undyed
wool; reflectance from K/S, then a linear RGB → XYZ → CIELAB conversion; colorimeter noise
0.4 in L*, a*, b*.
Input: (7,) standardised with the train mean / std. Target: (L* - 50, a*, b*) / 25.
Model: Linear 7→64, three residual blocks (x + Linear(ReLU(Linear(x))), 64 wide), ReLU,
Linear 64→3; MSE, Adam 1e-3 with ReduceLROnPlateau (×0.5 after 2 flat epochs), batch 128,
30 epochs, 3000 recipes, validation on 600.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``shade_fit.jsonl`` (``epoch`` / ``lr`` / ``loss`` /
``val_loss`` / ``val_delta_e``, the mean CIE76 ΔE); checkpoint ``shade_resmlp.pth`` with keys
``weights`` / ``opt`` / ``sched`` / ``epoch`` / ``recipe_mean`` / ``recipe_std`` /
``lab_center`` / ``lab_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

# absorption (K per % on fibre) of red, yellow, blue at the R, G, B bands
K_DYE = torch.tensor([[0.05, 1.60, 0.70],
                      [0.02, 0.35, 2.20],
                      [1.90, 0.90, 0.10]])
K_WOOL = torch.tensor([0.010, 0.018, 0.045])
RGB2XYZ = torch.tensor([[0.4124, 0.3576, 0.1805],
                        [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])
WHITE = RGB2XYZ.sum(1)


def lab(rgb):
    xyz = rgb @ RGB2XYZ.T / WHITE
    f = torch.where(xyz > 0.008856, xyz.clamp_min(1e-6) ** (1 / 3), 7.787 * xyz + 16 / 116)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]),
                        200 * (f[:, 1] - f[:, 2])], 1)


def recipes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    dye = 2.5 * r(n, 3) ** 1.5
    temp, time = 80 + 20 * r(n), 20 + 55 * r(n)
    ph, ratio = 3.5 + 2.5 * r(n), 10 + 30 * r(n)
    rate = torch.tensor([0.06, 0.08, 0.035]) * torch.exp(0.07 * (temp - 100)).unsqueeze(1)
    rate = rate * (1 + 0.6 * (6 - ph)).unsqueeze(1)
    eq = (1 - 0.004 * ratio).unsqueeze(1)
    on_fibre = dye * eq * (1 - torch.exp(-rate * time.unsqueeze(1)))
    ks = K_WOOL + on_fibre @ K_DYE
    refl = 1 + ks - torch.sqrt(ks ** 2 + 2 * ks)
    y = lab(refl) + 0.4 * torch.randn(n, 3, generator=g)
    return torch.cat([dye, temp[:, None], time[:, None], ph[:, None], ratio[:, None]], 1), y


class ResBlock(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))


class ShadeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(7, 64)
        self.blocks = nn.Sequential(*(ResBlock(64) for _ in range(3)))
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        return self.head(F.relu(self.blocks(self.stem(x))))


def build():
    torch.manual_seed(0)
    return ShadeNet()


def main():
    from _threehundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, labtr = recipes(3000, g)
    rva, labva = recipes(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    center, scale = torch.tensor([50.0, 0.0, 0.0]), 25.0
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = (labtr - center) / scale, (labva - center) / scale
    print("L* a* b* range", labtr.min(0).values.tolist(), labtr.max(0).values.tolist(),
          "target var", ytr.var(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "shade_fit.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            tot, cnt = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            val = F.mse_loss(p, yva).item()
            de = ((p - yva) * scale).norm(dim=1).mean().item()
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"], "loss": round(tot / cnt, 6),
                   "val_loss": round(val, 6), "val_delta_e": round(de, 4)}
            sched.step(val)
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 30, "recipe_mean": mean,
                "recipe_std": std, "lab_center": center, "lab_scale": scale},
               out / "shade_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="shade_resmlp.pth", log="shade_fit.jsonl",
           what="residual MLP predicting the CIELAB shade of wool dyed from a three-dye acid"
                " recipe (healthy)")


if __name__ == "__main__":
    main()
