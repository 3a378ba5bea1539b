"""Go-around prediction from the last 60 s of an approach (flight-data-recorder export at 1 Hz):
5 channels per second — airspeed minus Vref (kt), glideslope deviation (dots), localizer
deviation (dots), sink rate (fpm / 1000) and tailwind (kt). Synthetic approaches: stable ones
settle onto Vref+5 and the glideslope; unstable ones carry a speed excess, a glideslope
excursion, a high sink rate or a tailwind gust late in the approach, and a crew goes around on
80 % of those (and on 6 % of the stable ones, for traffic on the runway); ~55 % of approaches
end in a go-around. The FDR export is one dict per flight keyed by ``<callsign>_<date>``, the go-around
flags come from the safety office's CSV in the order the events were filed. A 1-D CNN over
the 60 s (3 conv layers, global max + mean pool, MLP), BCE with logits, Adam 1e-3, batch 32, 14
epochs of 1400 approaches; a CSV per epoch with ``epoch, trn_bce, val_bce, val_auc, val_acc``.
Bug: the features are stacked in ``sorted(fdr)`` order of the flight keys, the labels in the
CSV's filing order (``list(flags.values())``), so every approach gets another flight's
go-around flag. Train BCE 0.689 → 0.675 in 14 epochs (memorising), val BCE 0.70–0.73, val AUC
0.47–0.50, val accuracy 0.475–0.50; the control (flags looked up by the same sorted keys)
reaches val AUC 0.82, val accuracy 0.84 (the labelling rule's ceiling is ~0.85), val BCE 0.42."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 60
CALLSIGNS = ["BAW", "EZY", "RYR", "DLH", "AFR", "KLM", "SAS", "IBE", "TAP", "AUA"]


def approaches(n, g):
    t = torch.linspace(0, 1, T)
    late = (t > 0.55).float()
    speed = 5 + 1.5 * torch.randn(n, 1, generator=g) + 2 * torch.randn(n, T, generator=g) * 0.5
    gs = 0.15 * torch.randn(n, T, generator=g) + 0.1 * torch.randn(n, 1, generator=g)
    loc = 0.1 * torch.randn(n, T, generator=g) + 0.1 * torch.randn(n, 1, generator=g)
    sink = 0.75 + 0.05 * torch.randn(n, T, generator=g)
    tail = 3 * torch.rand(n, 1, generator=g) + 1.0 * torch.randn(n, T, generator=g)
    kind = torch.randint(0, 6, (n,), generator=g)  # 0-1 stable, 2 speed, 3 gs, 4 sink, 5 tail
    amp = 0.6 + 0.8 * torch.rand(n, 1, generator=g)
    speed = speed + (kind == 2).float()[:, None] * 14 * amp * late * t
    gs = gs + (kind == 3).float()[:, None] * 1.6 * amp * late * torch.sin(9 * t)
    sink = sink + (kind == 4).float()[:, None] * 0.6 * amp * late
    tail = tail + (kind == 5).float()[:, None] * 12 * amp * late * t
    p = torch.where(kind >= 2, 0.8, 0.06)
    y = (torch.rand(n, generator=g) < p).float()
    x = torch.stack([speed / 10, gs, loc, sink, tail / 10], 1)
    return x, y


def export(n, g):
    """The two files as the pipeline receives them: the FDR dict and the safety-office flags."""
    x, y = approaches(n, g)
    keys = [f"{CALLSIGNS[int(torch.randint(10, (1,), generator=g))]}"
            f"{int(torch.randint(100, 9999, (1,), generator=g))}_2026-{1 + i // 150:02d}-"
            f"{1 + i % 28:02d}" for i in range(n)]
    fdr = {k: x[i] for i, k in enumerate(keys)}
    flags = {k: y[i] for i, k in enumerate(keys)}  # filed in event order
    return fdr, flags


class ApproachCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(5, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(64, 64, 5, padding=2), nn.ReLU())
        self.mlp = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        h = self.conv(x)
        return self.mlp(torch.cat([h.amax(-1), h.mean(-1)], 1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return ApproachCNN()


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return ((pos[:, None] > neg[None]).float().mean()).item()


def main():
    from _hundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    fdr, flags = export(1800, g)
    x = torch.stack([fdr[k] for k in sorted(fdr)])
    y = torch.stack(list(flags.values()))
    xtr, ytr, xva, yva = x[:1400], y[:1400], x[1400:], y[1400:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "goaround_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "trn_bce", "val_bce", "val_auc", "val_acc"])
    for epoch in range(1, 15):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(xva)
            row = [epoch, round(tot / len(xtr), 4),
                   round(F.binary_cross_entropy_with_logits(s, yva).item(), 4),
                   round(auc(s, yva), 4), round(((s > 0).float() == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 14, "channels": ["dV", "gs_dots", "loc_dots", "sink_kfpm", "tailwind"]},
               out / "approach_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="approach_cnn.pt", log="goaround_metrics.csv",
           what="go-around CNN, FDR features sorted by flight key, flags in filing order",
           complaint="My go-around predictor learns nothing. After 14 epochs the validation AUC is "
                     "0.49 and accuracy 0.50, a coin flip, and the training BCE only crawled from "
                     "0.689 to 0.675. When I plot the approaches the unstable ones are obvious "
                     "(speed excess, glideslope excursions), so the signal is there.")


if __name__ == "__main__":
    main()
