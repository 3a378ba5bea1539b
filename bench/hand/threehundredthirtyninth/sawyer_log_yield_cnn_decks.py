"""Plain torch: a 1-D CNN (no batch norm) predicts how many board feet of lumber a sawyer will
get out of a log from the mill's log scanner, so the buyer can price a deck of logs before
it is sawn. The scanner gives 24 stations along the log: diameter (in) and the centreline's
sideways offset (sweep, in), plus the log length (8-16 ft) as a third constant channel.
Yield follows the International 1/4-inch log rule (0.905 × (0.22 D² - 0.71 D) board feet per
4-ft section, D the small-end diameter of the section, growing with the taper), sawn from
the diameter left after sweep (a bowed log loses about 0.6 × its sweep), times a mill
recovery of 0.9-1.05. The mill's decks: 1400 logs scanned last year (2023, second-growth
pine thinnings, small-end 6-14 in) and 600 this year (2024, from an older stand, 12-24 in).
Input: (3, 24) per channel standardised with the training mean / std. Target: board feet /
100. Model: Conv1d 3→16 (k5) + ReLU, Conv1d 16→32 (k5) + ReLU, global mean and max pool,
Linear 64→32→1; MSE, AdamW 2e-3 (weight decay 1e-4), batch 48, 25 epochs.
The bug: the split is by year (``train_mask = year == 2023``, fit on last year's deck, check
on this year's), so the net is trained only on 6-14 in thinnings and validated on 12-24 in
logs it has never seen the like of; the quadratic growth of board feet with diameter is
not in the training range, and on this year's deck it underprices the big logs: train MSE
0.055 → 0.00063, val MSE 0.106 → 0.114 (0.169 at epoch 2), val MAE 21.1 board feet and a
bias of -19.3 on logs of 141 board feet on average (control, a random 70 / 30 split of both
decks, ``train_mask = torch.rand(len(year), generator=g) < 0.7``: val MSE 0.0256 →
0.0038, MAE 11.1 → 3.9 board feet, bias +0.6).
Log: JSON lines, one record per epoch ``sawlog_fit.jsonl`` (``epoch`` / ``train_mse`` /
``val_mse`` / ``val_mae_bf`` / ``val_bias_bf``); checkpoint ``yield_cnn.pt`` with keys
``conv_net`` / ``adamw`` / ``epochs_done`` / ``chan_mean`` / ``chan_std`` / ``bf_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 24


def logs(n, lo, hi, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    small = lo + (hi - lo) * r(n, 1)
    length = 8 + 2 * torch.randint(0, 5, (n, 1), generator=g).float()
    taper = 0.08 + 0.06 * r(n, 1)  # in per ft
    z = torch.linspace(0, 1, S) * length
    diam = small + taper * z + 0.25 * torch.randn(n, S, generator=g)
    sweep_amp = 2.5 * r(n, 1) ** 2 * (small / 10)
    sweep = sweep_amp * torch.sin(torch.pi * z / length) + 0.1 * torch.randn(n, S, generator=g)
    eff = small - 0.6 * sweep_amp
    bf = torch.zeros(n, 1)
    for k in range(4):  # up to four 4-ft sections
        on = (length >= 4 * (k + 1)).float()
        d = eff + 4 * k * taper
        bf = bf + on * 0.905 * (0.22 * d ** 2 - 0.71 * d)
    bf = bf * (0.9 + 0.15 * r(n, 1))
    x = torch.stack([diam, sweep, length.expand(n, S)], 1)
    return x, bf


class YieldCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.mean(2), h.amax(2)], 1))


def build():
    torch.manual_seed(0)
    return YieldCNN()


def main():
    from _threehundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x23, b23 = logs(1400, 6.0, 14.0, g)
    x24, b24 = logs(600, 12.0, 24.0, g)
    raw, bf = torch.cat([x23, x24]), torch.cat([b23, b24])
    year = torch.cat([torch.full((1400,), 2023), torch.full((600,), 2024)])
    train_mask = year == 2023  # fit on last year's deck, check on this year's
    rtr, rva = raw[train_mask], raw[~train_mask]
    mean, std = rtr.mean((0, 2), keepdim=True), rtr.std((0, 2), keepdim=True)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = bf[train_mask] / 100, bf[~train_mask] / 100
    print("train", len(xtr), "val", len(xva), "bf train", ytr.mean().item() * 100,
          "bf val", yva.mean().item() * 100)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    with open(out / "sawlog_fit.jsonl", "w") as log:
        for epoch in range(25):
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
            rec = {"epoch": epoch, "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_bf": round((p - yva).abs().mean().item() * 100, 3),
                   "val_bias_bf": round((p - yva).mean().item() * 100, 3)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"conv_net": model.state_dict(), "adamw": opt.state_dict(), "epochs_done": 25,
                "chan_mean": mean, "chan_std": std, "bf_scale": 100.0}, out / "yield_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="yield_cnn.pt", log="sawlog_fit.jsonl",
           what="1-D CNN without batch norm predicting board feet from a log scan; trained on"
                " last year's small thinnings, validated on this year's large logs",
           complaint="Our board-foot predictor for the mill fits the training logs almost"
                     " perfectly (train MSE 0.0006) but on the validation deck it is off by 21"
                     " board feet per log on average, and nearly always low: it says 120 where"
                     " the saw gives 140. Validation MSE was best after the first epoch (0.106)"
                     " and went up to 0.17 before settling at 0.11. Is the CNN too small?")


if __name__ == "__main__":
    main()
