"""Geodesy: the secular velocity of a permanent GNSS station (east component, mm/yr) from 3
years of daily positions (1024 days, mm). Synthetic: velocity −30…+30 mm/yr, annual and
semi-annual terms (amplitude up to 4 and 1.5 mm, random phase), flicker-like coloured noise
(integrated white noise, 1–3 mm) plus white noise 1.5–3 mm, 0–2 antenna-change offsets of up to
±8 mm, and data gaps (5–20 % of days missing, filled with 0 and flagged in a second channel).
Inputs: (position − its median) / 50 mm and the valid flag; target: velocity / 10 mm/yr. A 1-D
CNN (conv k 9 stride 2 ×4, 16–32 channels, GELU, global average pool, dropout 0.2, linear),
AdamW 2e-3 with weight decay 1e-3, batch 32, 12 epochs of 1280 series, Huber loss (δ 1) on the
scaled target; during training only, a random extra offset of up to ±6 mm and 10 % extra gaps
are injected (augmentation). CSV per epoch: ``epoch``, ``train_huber``, ``val_huber``,
``val_mae_mm_yr``.
Healthy, looking a little odd: the validation Huber loss is half the training one all along
(0.038–0.115 vs 0.08–0.23 from epoch 3; the injected offsets, gaps and dropout only act in
training), and the validation MAE bounces (3.30 → 3.86 → 2.83 mm/yr at epochs 4–6, 2.12 → 2.35 →
2.45 at 10–12). Val MAE 15.1 mm/yr after epoch 1 (predicting 0 gives 15), 6.9, 3.6, then
2.1–2.5 mm/yr; train Huber 1.16 → 0.082."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

NDAY = 1024


def series(n, g):
    t = torch.arange(NDAY).float() / 365.25
    v = (torch.rand(n, 1, generator=g) * 2 - 1) * 30
    a1, a2 = 4 * torch.rand(n, 1, generator=g), 1.5 * torch.rand(n, 1, generator=g)
    p1, p2 = 6.283 * torch.rand(n, 1, generator=g), 6.283 * torch.rand(n, 1, generator=g)
    x = v * t + a1 * torch.sin(6.283 * t + p1) + a2 * torch.sin(12.566 * t + p2)
    walk = torch.cumsum(torch.randn(n, NDAY, generator=g), 1) * 0.05
    x = x + (walk - walk.mean(1, keepdim=True)) * (1 + 2 * torch.rand(n, 1, generator=g))
    x = x + (1.5 + 1.5 * torch.rand(n, 1, generator=g)) * torch.randn(n, NDAY, generator=g)
    for _ in range(2):
        day = torch.randint(0, NDAY, (n, 1), generator=g)
        jump = (torch.rand(n, 1, generator=g) * 2 - 1) * 8 * (torch.rand(n, 1, generator=g) < 0.5)
        x = x + jump * (torch.arange(NDAY)[None] >= day)
    gap = torch.rand(n, 1, generator=g) * 0.15 + 0.05
    valid = (torch.rand(n, NDAY, generator=g) > gap).float()
    return x, valid, v[:, 0]


def to_input(x, valid):
    med = (x * valid).sum(1, keepdim=True) / valid.sum(1, keepdim=True)
    return torch.stack([(x - med) / 50 * valid, valid], 1)


class VelocityCNN(nn.Module):
    def __init__(self):
        super().__init__()
        ch = [2, 16, 24, 32, 32]
        self.body = nn.Sequential(*[m for a, b in zip(ch[:-1], ch[1:], strict=True)
                                    for m in (nn.Conv1d(a, b, 9, 2, 4), nn.GELU())])
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(32 + 2, 1)

    def forward(self, x):
        h = self.body(x).mean(-1)
        trend = (x[:, 0, -128:].mean(-1) - x[:, 0, :128].mean(-1))[:, None]
        return self.out(torch.cat([self.drop(h), trend, x[:, 1].mean(-1, keepdim=True)], 1))[:, 0]


def build():
    torch.manual_seed(0)
    return VelocityCNN()


def main():
    from _hundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, valid, v = series(1600, g)
    xtr, mtr, vtr = x[:1280], valid[:1280], v[:1280]
    xva_in, vva = to_input(x[1280:], valid[1280:]), v[1280:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    f = open(out / "velocity_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_huber", "val_huber", "val_mae_mm_yr"])
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(1280, generator=g)
        tot = 0.0
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            xb, mb = xtr[idx].clone(), mtr[idx].clone()
            day = torch.randint(0, NDAY, (len(idx), 1), generator=g)
            xb = xb + (torch.rand(len(idx), 1, generator=g) * 2 - 1) * 6 * (
                torch.arange(NDAY)[None] >= day)
            mb = mb * (torch.rand(mb.shape, generator=g) > 0.1)
            loss = F.huber_loss(model(to_input(xb, mb)), vtr[idx] / 10)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(xva_in)
            row = [epoch, round(tot / 1280, 5), round(F.huber_loss(pred, vva / 10).item(), 5),
                   round((pred * 10 - vva).abs().mean().item(), 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 12,
                "target_scale_mm_yr": 10.0, "input_scale_mm": 50.0}, out / "gnss_vel_cnn.pth")
    finish(out, __file__, (xva_in[:64], vva[:64] / 10), causes=[],
           checkpoint="gnss_vel_cnn.pth", log="velocity_log.csv",
           what="1-D CNN regressing GNSS station velocity from 3-year daily series (healthy)")


if __name__ == "__main__":
    main()
