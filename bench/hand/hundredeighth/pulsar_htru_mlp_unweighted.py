"""Pulsar candidate vetting (HTRU2-style): 8 summary statistics per radio candidate — mean,
standard deviation, excess kurtosis and skewness of the folded integrated pulse profile and of
the DM–SNR curve — from a synthetic survey in which about 1 % of candidates are real pulsars
and the rest RFI / noise. Real pulsars have a narrow, peaked profile (low mean, high kurtosis
and skew) and a DM–SNR curve peaked away from DM 0; bright RFI imitates part of that. Features
log-compressed where heavy-tailed and standardised with the training statistics. A 3-layer MLP
(8 → 64 → 32 → 2, ReLU), SGD momentum 0.9 lr 0.01, batch 256, 8 epochs of 6000 candidates;
JSON lines per epoch with loss, val loss, val accuracy, val pulsar recall / precision.
Bug: plain ``nn.CrossEntropyLoss()`` on a 99 : 1 survey — no class weights, no resampling, no
threshold moved — so the model learns "never a pulsar": val accuracy 0.9885 (= the non-pulsar
share of the 2000 validation candidates) for epochs 1–7 with pulsar recall 0, 0.9895 and recall
0.087 (2 of 23) after epoch 8, train loss 0.024. The control (``weight=[1, 40]``) finds all 23
(recall 1.0 from epoch 6, precision 0.50, val accuracy 0.9885)."""
import json

import torch
import torch.nn as nn

FEATURES = ["ip_mean", "ip_std", "ip_kurt", "ip_skew", "dm_mean", "dm_std", "dm_kurt", "dm_skew"]


def survey(n, g, frac=0.01):
    y = (torch.rand(n, generator=g) < frac).long()
    z = torch.randn(n, 8, generator=g)
    noise = torch.stack([110 + 18 * z[:, 0], 47 + 6 * z[:, 1], 0.2 + 0.4 * z[:, 2].abs(),
                         0.5 + 0.8 * z[:, 3].abs(), (12 + 25 * z[:, 4].abs()),
                         26 + 14 * z[:, 5].abs(), 8 + 4 * z[:, 6], 90 + 80 * z[:, 7].abs()], 1)
    s = 0.1 + 0.4 * torch.rand(n, 1, generator=g)  # pulsar brightness (mostly faint)
    puls = torch.stack([110 - 45 * s[:, 0] + 18 * z[:, 0], 47 - 8 * s[:, 0] + 6 * z[:, 1],
                        0.2 + 2.2 * s[:, 0] + 0.9 * z[:, 2].abs(),
                        0.5 + 6 * s[:, 0] + 3 * z[:, 3].abs(), 12 + 60 * s[:, 0] + 25 * z[:, 4].abs(),
                        26 + 25 * s[:, 0] + 14 * z[:, 5].abs(), 8 - 5 * s[:, 0] + 4 * z[:, 6],
                        90 - 60 * s[:, 0] + 80 * z[:, 7].abs()], 1)
    x = torch.where(y[:, None] == 1, puls, noise)
    x[:, [3, 4, 5, 7]] = torch.log1p(x[:, [3, 4, 5, 7]].clamp_min(0))
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))


def main():
    from _hundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = survey(8000, g)
    mu, sd = x[:6000].mean(0), x[:6000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:6000], y[:6000], x[6000:], y[6000:]
    print("pulsars train/val", int(ytr.sum()), int(yva.sum()))
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    log = open(out / "vetting.jsonl", "w")
    for epoch in range(8):
        model.train()
        perm = torch.randperm(6000, generator=g)
        tot = 0.0
        for i in range(0, 6000, 256):
            idx = perm[i:i + 256]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            p = lo.argmax(1)
            tp = int(((p == 1) & (yva == 1)).sum())
            rec = dict(epoch=epoch + 1, loss=round(tot / 6000, 5),
                       val_loss=round(crit(lo, yva).item(), 5),
                       val_acc=round((p == yva).float().mean().item(), 4),
                       val_recall_pulsar=round(tp / max(int(yva.sum()), 1), 4),
                       val_precision_pulsar=round(tp / max(int(p.sum()), 1), 4))
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 8,
                "features": FEATURES, "feature_mean": mu, "feature_std": sd},
               out / "pulsar_mlp.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["class_imbalance"],
           checkpoint="pulsar_mlp.pt", log="vetting.jsonl",
           what="pulsar candidate MLP, 1 % pulsars, unweighted cross-entropy",
           complaint="Our pulsar candidate classifier reports 98.9% validation accuracy, but it "
                     "finds almost no pulsars: recall on the 23 validation pulsars was 0 for "
                     "epochs 1-7 and 0.087 (2 of 23) after epoch 8. The loss goes down nicely "
                     "to 0.024.")


if __name__ == "__main__":
    main()
