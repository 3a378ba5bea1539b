"""Plain torch: an LSTM tags every stitch of an upholstery seam from the industrial sewing
machine's sensor log (per-step, 3 classes), so a workshop can find the bad stretch of a sofa
cover before it is fitted: ok, pucker, skipped stitch. Each seam is 20-120 stitches on one
fabric (200-800 g/m²); per stitch the machine logs thread tension (cN, a per-seam setting
that drifts as the bobbin empties), stitch length (mm) and needle penetration force (N,
growing with fabric weight). The rules: the seam puckers where the tension over the last 5
stitches averages above 42 + 0.05 × fabric weight cN (heavy cloth takes more); a stitch is
skipped when the needle deflects (about 3 % of stitches: the force reading drops by a third
and the feed throws a double-length stitch), while the operator's own speed changes vary the
stitch length by ± 10 %.
The machine's logger writes fixed 128-stitch records: after the seam ends it holds its last
reading, and the record says how many stitches were sewn. Input: (128, 4) per stitch
(tension, length, force, fabric weight) standardised with the mean / std of the train
seams' real stitches; tags (128,) with the positions after the seam filled in. Model: LSTM
4→64, Linear 64→3 at every stitch; cross-entropy, SGD 0.1 momentum 0.9, batch 16 seams, 20
epochs, 640 seams, validation on 160.
The bug: the tag positions after the seam end are filled with 0 (``tags[k, m:] = 0``,
nothing sewn there), which is the "ok" tag, and ``nn.CrossEntropyLoss()`` takes all 128
positions, so 48 % of what the loss is averaged over is padding taught to say "ok" on a
held reading that looks just like the seam's last stitch (a puckered one, often): val
accuracy over real stitches 0.67 → 0.96 but swinging (0.79 at epoch 10, 0.85 at 15),
pucker recall 0.0 → 0.89, between 0.23 and 0.90 on the way, val CE (over all positions)
0.417 → 0.145 (control, the tail filled with -100, which the loss skips: val accuracy 0.92
→ 0.987, 0.985 at epoch 10, pucker recall 0.89 → 0.96, 0.95-0.99 from epoch 2, val CE 0.211
→ 0.030).
Log: a CSV per epoch ``seam_tags.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` /
``val_acc_stitch`` / ``recall_pucker`` / ``recall_skip``; the accuracy and recalls over real
stitches only); checkpoint ``stitch_lstm.bin`` with keys ``lstm_tagger`` / ``opt`` /
``epoch`` / ``feat_mu`` / ``feat_sigma`` / ``tags``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

TAGS = ["ok", "pucker", "skipped"]
T = 128


def seams(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    out = []
    for _ in range(n):
        t = int(torch.randint(20, 121, (1,), generator=g))
        w = 200 + 600 * r(1).item()
        limit = 42 + 0.05 * w
        tension = (limit - 12 + 16 * r(1)) + torch.cumsum(0.6 * torch.randn(t, generator=g), 0)
        tension = tension + 1.5 * torch.randn(t, generator=g)
        length = 3.0 * (1 + 0.1 * (2 * r(t) - 1))
        force = (2 + 0.006 * w) * (1 + 0.05 * torch.randn(t, generator=g))
        skip = r(t) < 0.03
        force = torch.where(skip, force * 0.66, force)
        length = torch.where(skip, length * 2, length)
        roll = torch.stack([tension[max(0, k - 4):k + 1].mean() for k in range(t)])
        tag = torch.where(skip, 2, torch.where(roll > limit, 1, 0))
        x = torch.stack([tension, length, force, torch.full((t,), w)], 1)
        out.append((x, tag))
    return out


class StitchTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 64, batch_first=True)
        self.out = nn.Linear(64, 3)

    def forward(self, x):
        return self.out(self.lstm(x)[0])


def build():
    torch.manual_seed(0)
    return StitchTagger()


def main():
    from _threehundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)

    def records(n):
        xs = torch.empty(n, T, 4)
        tags = torch.empty(n, T, dtype=torch.long)
        lengths = torch.empty(n, dtype=torch.long)
        for k, (x, y) in enumerate(seams(n, g)):
            m = len(x)
            xs[k, :m], xs[k, m:] = x, x[-1]  # the logger holds its last reading
            tags[k, :m] = y
            tags[k, m:] = 0  # nothing sewn after the seam ends
            lengths[k] = m
        return xs, tags, lengths

    rtr, ytr, ltr = records(640)
    rva, yva, lva = records(160)
    real_tr = torch.arange(T)[None, :] < ltr[:, None]
    mu, sigma = rtr[real_tr].mean(0), rtr[real_tr].std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    print("tag rates", torch.bincount(ytr[real_tr]).tolist(), "real share",
          real_tr.float().mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr, ltr), batch_size=16, shuffle=True)
    real = torch.arange(T)[None, :] < lva[:, None]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    crit = nn.CrossEntropyLoss()  # per-stitch tag loss
    with open(out / "seam_tags.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["epoch", "train_ce", "val_ce", "val_acc_stitch", "recall_pucker",
                      "recall_skip"])
        for epoch in range(20):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb, _ in dl:
                logits = model(xb)
                loss = crit(logits.reshape(-1, 3), yb.reshape(-1))
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            vce = crit(logits.reshape(-1, 3), yva.reshape(-1)).item()
            pred, y = logits.argmax(2)[real], yva[real]
            row = [tot / nb, vce, (pred == y).float().mean().item(),
                   (pred[y == 1] == 1).float().mean().item(),
                   (pred[y == 2] == 2).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6f}" for v in row])
            print(epoch, [round(v, 5) for v in row])
    torch.save({"lstm_tagger": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "feat_mu": mu, "feat_sigma": sigma, "tags": TAGS}, out / "stitch_lstm.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="stitch_lstm.bin", log="seam_tags.csv",
           what="LSTM tagging each stitch of an upholstery seam ok / pucker / skipped; tags"
                " padded with 0 (= ok) and the cross-entropy taken over the padding too",
           complaint="Stitch tagger for our sofa seams: accuracy over the real stitches jumps"
                     " around from epoch to epoch (0.79, 0.88, 0.95, 0.85, 0.96...), and the"
                     " pucker recall is the worst, anywhere from 0.23 to 0.90. Skipped stitches"
                     " are found fine. Lowering the learning rate made it slower but not"
                     " steadier. The loss is 0.11 at the end but the tagging is not reliable.")


if __name__ == "__main__":
    main()
