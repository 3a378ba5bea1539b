"""Plain torch: a 1-D CNN tells the keeper of a tidal mill how many hours of grinding the next
day's tides will give, from the predicted tide heights at the mill dam (48 half-hourly values
over 24 h, metres above chart datum). Tides are semi-diurnal (12.42 h) with a diurnal
inequality; the tidal range goes from 1.6 m on small tides to 4.6 m on big ones, mean level
2.4 m ± a 0.4 m surge. The pond fills through the flap gates while the flood tide stands above it
(capped at the dam crest, 3.6 m); the wheel grinds when the pond stands ≥ 0.9 m above the tide on the
ebb and draws the pond down 0.3 m per half-hour while it runs (pond floor 1.0 m). Target:
grinding hours in the day (0.8-9.7 h, mean 5.7), 0.25 h scatter from the keeper's log.
Conv1d 1→16 (k5)-ReLU, conv 16→32 (k5, stride 2)-ReLU, conv 32→32 (k3)-ReLU, mean over time,
Linear 32→1 (hours / 8). MSE, Adam 1e-3, batch 32, 14 epochs of 1600 days, validation on 400
(val MSE, MAE in hours).
The bug: ``build()`` sets every conv and linear weight to zero with
``nn.init.zeros_(m.weight)  # calm start: every filter flat, the tides shape them`` (biases
zeroed too), so all activations are 0 after the first ReLU, no gradient reaches any weight and
only the output bias learns: the net predicts the same hours for every day.
Result: train MSE 0.532 → 0.0974, val MSE 0.516 → 0.0998, val MAE 5.42 → 2.14 h, a slow smooth
fall that is only the output bias creeping (1e-3 a step) towards the mean; every weight is still
exactly 0 in the checkpoint and every day gets the same 4.2 h.
Control (default kaiming-uniform weights, biases still zero): train MSE 0.0911 → 0.00589, val
MSE 0.0200 → 0.00504, val MAE 0.87 → 0.45 h.
Log: JSON lines per epoch ``grinding_fit.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_h``); checkpoint ``grinding_cnn.pt`` with keys ``model`` / ``adam`` / ``epoch`` /
``hours_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 48


def days(n, g):
    u = torch.rand(n, 5, generator=g)
    t = torch.arange(T).float() * 0.5
    rng = 1.6 + 3.0 * u[:, :1]
    ph = 2 * math.pi * u[:, 1:2]
    ineq = 0.25 * u[:, 2:3]
    mean = 2.4 + 0.8 * (u[:, 3:4] - 0.5)
    h = mean + rng / 2 * torch.cos(2 * math.pi * t / 12.42 + ph) \
        + ineq * rng / 2 * torch.cos(2 * math.pi * t / 24.84 + ph + 1.0)
    pond = torch.full((n,), 2.0)
    hours = torch.zeros(n)
    for k in range(T):
        hk = h[:, k]
        pond = torch.where(hk > pond, torch.minimum(hk, torch.tensor(3.6)), pond)
        grind = (pond - hk >= 0.9) & (pond > 1.0)
        hours = hours + 0.5 * grind.float()
        pond = torch.where(grind, pond - 0.3, pond)
    hours = hours + 0.25 * torch.randn(n, generator=g)
    return h.unsqueeze(1), hours


class TideCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.body(x - 2.4).mean(2)).squeeze(1)


def build():
    torch.manual_seed(0)
    net = TideCNN()
    for m in net.modules():
        if isinstance(m, (nn.Conv1d, nn.Linear)):
            nn.init.zeros_(m.weight)  # calm start: every filter flat, the tides shape them
            nn.init.zeros_(m.bias)
    return net


def main():
    from _twohundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1600, g)
    xva, yva = days(400, g)
    print("hours", ytr.mean().item(), ytr.std().item(), ytr.min().item(), ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr / 8), batch_size=32, shuffle=True)
    model = build()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "grinding_fit.jsonl", "w") as f:
        for epoch in range(1, 15):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                adam.zero_grad()
                loss.backward()
                adam.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                p = model(xva) * 8
                vmse = F.mse_loss(p / 8, yva / 8).item()
                mae = (p - yva).abs().mean().item()
            rec = {"epoch": epoch, "train_mse": round(tot / nb, 6), "val_mse": round(vmse, 6),
                   "val_mae_h": round(mae, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "adam": adam.state_dict(), "epoch": 14,
                "hours_scale": 8.0}, out / "grinding_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64] / 8), causes=["zero_weight_init"],
           checkpoint="grinding_cnn.pt", log="grinding_fit.jsonl",
           what="1-D CNN predicting a tidal mill's grinding hours from the day's tide curve;"
                " every weight initialised to zero",
           complaint=("Our tidal mill model is supposed to read tomorrow's tide curve and say how"
                      " many hours the wheel can grind. After training it gives exactly the same"
                      " answer for every day, big tides or small. The loss goes down very slowly"
                      " and smoothly, like a straight line, and the error is still over two hours"
                      " after 14 epochs. The tide data and the hours look right to us."))


if __name__ == "__main__":
    main()
