"""Plain torch: a residual MLP predicts the drainage (Canadian Standard Freeness, ml) of
the stock leaving a papermill's double-disc refiner from the refiner's set points and the
furnish, so the operator can hit the freeness the paper machine wants without waiting for
the lab. Freeness falls with specific refining energy (kWh/t) on an exponential curve
whose rate depends on the fibre mix (hardwood share refines faster), the plate gap, the
consistency and the stock temperature; incoming freeness varies; lab noise ±8 ml.
Input: (7,) standardised with the train mean / std (net energy kW, throughput t/h, gap
mm, consistency %, stock °C, hardwood share, incoming CSF). Target: (CSF - 400) / 120.
Model: 7→64, 3 residual blocks (LayerNorm → Linear 64→64 → SiLU → Linear, + skip), →1;
MSE, AdamW 2e-3 (weight decay 1e-3) with OneCycleLR, batch 100, 14 epochs, 2000
samples, validation on 500.
Healthy; numbers in the README.
Log: JSON lines ``refiner_log.jsonl``, one line per epoch (``ep`` / ``lr`` /
``mse_tr`` / ``mse_va`` / ``mae_va_ml``); checkpoint ``refiner_resmlp.pt`` with keys
``weights`` / ``adamw`` / ``onecycle`` / ``ep`` / ``x_mean`` / ``x_std`` /
``csf_center_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def refiner(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kw = 800 + 1400 * r(n)
    tph = 8 + 12 * r(n)
    gap = 0.1 + 0.3 * r(n)
    cons = 3.5 + 1.5 * r(n)
    temp = 40 + 20 * r(n)
    hw = r(n)
    csf0 = 550 + 150 * r(n)
    sre = kw / tph  # kWh/t
    k = (0.004 + 0.004 * hw) * (1.2 - gap) * (cons / 4.5) ** 0.5 * (1 + 0.005 * (temp - 50))
    csf = 80 + (csf0 - 80) * torch.exp(-k * sre) + 8 * torch.randn(n, generator=g)
    x = torch.stack([kw, tph, gap, cons, temp, hw, csf0], 1)
    return x, ((csf - 400) / 120).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, h):
        return h + self.fc2(F.silu(self.fc1(self.norm(h))))


class RefinerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return RefinerNet()


def main():
    from _threehundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = refiner(2000, g)
    xva, yva = refiner(500, g)
    print("target", ytr.mean().item(), ytr.std().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=14 * len(dl))
    with open(out / "refiner_log.jsonl", "w") as log:
        for ep in range(14):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"ep": ep, "lr": opt.param_groups[0]["lr"], "mse_tr": tot / len(xtr),
                   "mse_va": F.mse_loss(p, yva).item(),
                   "mae_va_ml": 120 * (p - yva).abs().mean().item()}
            log.write(json.dumps({k: round(v, 6) for k, v in row.items()}) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 14, "x_mean": mean, "x_std": std,
                "csf_center_scale": [400.0, 120.0]}, out / "refiner_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="refiner_resmlp.pt", log="refiner_log.jsonl",
           what="residual MLP predicting the freeness of refined stock in a papermill from"
                " the refiner set points and furnish (healthy)")


if __name__ == "__main__":
    main()
