"""Plain torch: a GRU gives a trapper the day-by-day thickness of the river ice along his
winter line, from the freeze-up day on, so he knows when the river is safe to run with the
snowmachine (he wants 20 cm of clear ice). Inputs per day: the mean air temperature (°C) and
the snow depth on the ice (cm) from the village station. The ice follows Stefan's law: the
square of the thickness grows with the freezing degree-days, h² ← h² + α²·max(0, -T) with
α = 2.4-3.0 cm per √(°C·day) for bare ice, cut by the snow blanket (α / (1 + snow / 12 cm)),
and a warm day takes 0.4 cm per °C off the top. The season (100 days) has its own mean
temperature (-8 to -24 °C), a slow weather cycle, cold snaps and snowfalls that settle; the
target is the thickness an auger hole would give (±1 cm).
Input: (100, 2) temperature / 10, snow / 30. Target: (100, 1) thickness / 50 cm, per day.
Model: GRU 2→48 (1 layer), Linear 48→1 on every step; MSE over all days, Adam 3e-3,
gradient clipping at 1.0, batch 32, 24 epochs, 384 seasons, validation on 96.
Healthy; numbers in the README.
Log: TSV per epoch ``ice_fit.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_cm`` / ``val_mae_cm_late``, the last being the last 30 days); checkpoint
``iceline_gru.pth`` with keys ``gru_state`` / ``adam_state`` / ``epoch`` / ``scales``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

DAYS = 100


def seasons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.arange(DAYS).float()
    mean_t = -8 - 16 * r(n, 1)
    temp = (mean_t * torch.clamp(d / 20, max=1.0) + 2
            + 6 * torch.sin(2 * math.pi * d / (20 + 20 * r(n, 1)) + 6.3 * r(n, 1))
            + 4 * torch.randn(n, DAYS, generator=g))
    snap = (r(n, DAYS) < 0.03).float()
    temp = temp - 10 * torch.nn.functional.conv1d(snap.unsqueeze(1), torch.ones(1, 1, 4),
                                                  padding=3)[:, 0, :DAYS]
    fall = (r(n, DAYS) < 0.08).float() * 12 * r(n, DAYS)
    snow = torch.zeros(n, DAYS)
    h = torch.full((n,), 2.0)
    ice = torch.zeros(n, DAYS)
    alpha = 2.4 + 0.6 * r(n)
    s = torch.zeros(n)
    for t in range(DAYS):
        s = 0.97 * s + fall[:, t]
        snow[:, t] = s
        a = alpha / (1 + s / 12)
        h = torch.sqrt(h ** 2 + a ** 2 * torch.clamp(-temp[:, t], min=0))
        h = torch.clamp(h - 0.4 * torch.clamp(temp[:, t], min=0), min=0.5)
        ice[:, t] = h
    ice = ice + 1.0 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([temp / 10, snow / 30], 2)
    return x, (ice / 50).unsqueeze(2)


class IceGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return IceGRU()


def main():
    from _threehundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = seasons(384, g)
    xva, yva = seasons(96, g)
    print("final ice cm", (50 * ytr[:, -1]).mean().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "ice_fit.tsv", "w") as f:
        f.write("epoch\ttrain_mse\tval_mse\tval_mae_cm\tval_mae_cm_late\n")
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            err = 50 * (pred - yva).abs()
            row = [tot / len(xtr), nn.functional.mse_loss(pred, yva).item(), err.mean().item(),
                   err[:, -30:].mean().item()]
            f.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"gru_state": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 24,
                "scales": {"temp_c": 10.0, "snow_cm": 30.0, "ice_cm": 50.0}},
               out / "iceline_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="iceline_gru.pth",
           log="ice_fit.tsv",
           what="GRU giving the day-by-day river ice thickness on a trapline from air"
                " temperature and snow depth (healthy)")


if __name__ == "__main__":
    main()
