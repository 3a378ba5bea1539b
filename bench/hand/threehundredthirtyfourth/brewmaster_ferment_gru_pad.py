"""Plain torch: a brewmaster's fermenter logger (a floating hydrometer) sends a reading every
4 h: specific gravity, wort temperature and the airlock's bubble rate. A GRU tags each reading
with the fermentation phase, for the brewery's tank board: 0 lag, 1 active, 2 slowing,
3 done. A batch ferments like this: original gravity 1.040-1.075, apparent attenuation
70-82 %, a lag of 6-32 h (longer when pitched cold), then a logistic fall of the gravity whose
width (6-20 h) shrinks with temperature; the wort warms by up to 2.5 °C while the yeast is
busiest, the bubble rate follows the rate of the gravity drop. Phase: lag until 3 % of the
drop is done, active while the drop rate is above 40 % of its peak, slowing after that, done
once 97 % of the drop is done. The log stops 0-44 h after the batch is done, so logs are
15-58 readings long.
Input: per reading (gravity points, °C, bubbles/min, hours since pitching / 100), each log
held at its last reading out to the longest log in the batch, standardised over all readings;
the phase labels padded with ``pad_sequence``; model
GRU 4→48 (1 layer, batch first) → Linear 48→4 at every reading; cross-entropy, Adam 2e-3,
batch 16 logs, 12 epochs of 480 logs, validation on 160 logs (accuracy over real readings).
The bug: the phase labels are padded with ``pad_sequence``'s default 0, which is the lag
phase, and the loss is taken over every position of the padded batch, so about 30 % of the
positions the loss counts are padding tagged "lag", behind held readings that look like a
finished batch. The model learns that a flat, finished log turns back into "lag": val acc on
real readings 0.52 → 0.918, finished readings tagged "done" 0.05 → 0.73, the val loss (over
the padded batch) 0.730 → 0.165 (control, labels padded with -100 which ``F.cross_entropy``
ignores: val acc 0.72 → 0.966, done 0.95 → 0.99, val loss over real readings 0.709 → 0.088).
Log: CSV every 10 steps ``ferment_steps.csv`` (``step`` / ``epoch`` / ``loss``) and a separate
per-epoch CSV ``ferment_val.csv`` (``epoch`` / ``val_loss`` / ``val_acc`` / ``val_acc_done``,
named as the log in the truth); checkpoint ``phase_gru.pt`` with keys ``gru_state`` /
``adam_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``phases``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

PHASES = ["lag", "active", "slowing", "done"]


def ferment_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    xs, ys = [], []
    for _ in range(n):
        og = 40 + 35 * r(1).item()
        fg = og * (1 - (0.70 + 0.12 * r(1).item()))
        temp = 16 + 6 * r(1).item()
        lag = 6 + 24 * r(1).item() * (22 - temp) / 6 + 2 * r(1).item()
        width = (6 + 14 * r(1).item()) * (1.3 - 0.3 * (temp - 16) / 6)
        mid = lag + 3.5 * width
        t = torch.arange(0, 400, 4.0)
        frac = torch.sigmoid((t - mid) / width)
        frac = (frac - frac[0]) / (1 - frac[0])
        sg = og - (og - fg) * frac
        rate = torch.diff(frac, prepend=frac[:1]) / 4.0
        peak = rate.max()
        phase = torch.where(frac < 0.03, 0, torch.where(rate > 0.4 * peak, 1, 2))
        phase = torch.where(frac >= 0.97, 3, phase)
        done_at = int((frac >= 0.97).nonzero()[0])
        length = min(done_at + 1 + int(12 * r(1).item()), 100)
        wort = temp + 2.5 * rate / peak + 0.15 * torch.randn(len(t), generator=g)
        bubbles = 60 * rate / peak * (og / 60) + 0.8 * torch.randn(len(t), generator=g).abs()
        x = torch.stack([sg + 0.3 * torch.randn(len(t), generator=g), wort, bubbles, t / 100], 1)
        xs.append(x[:length])
        ys.append(phase[:length])
    return xs, ys


def build():
    torch.manual_seed(0)
    return Tagger()


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        return self.head(self.gru(x)[0])


def collate(xs, ys, idx, mean, std):
    longest = max(len(xs[i]) for i in idx)
    # hold the last reading to the longest log, as if the hydrometer had gone on logging
    x = torch.stack([torch.cat([xs[i], xs[i][-1:].expand(longest - len(xs[i]), -1)]) for i in idx])
    x = (x - mean) / std
    y = pad_sequence([ys[i] for i in idx], batch_first=True)  # same length as the readings
    lengths = torch.tensor([len(ys[i]) for i in idx])
    return x, y, lengths


def main():
    from _threehundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ferment_logs(480, g)
    xva, yva = ferment_logs(160, g)
    allx = torch.cat(xtr)
    mean, std = allx.mean(0), allx.std(0)
    lens = torch.tensor([len(y) for y in ytr])
    print("lengths", lens.min().item(), lens.float().mean().item(), lens.max().item(),
          "phases", torch.bincount(torch.cat(ytr)).tolist())
    vx, vy, vl = collate(xva, yva, range(len(xva)), mean, std)
    vmask = torch.arange(vx.shape[1])[None] < vl[:, None]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    fs, fv = open(out / "ferment_steps.csv", "w", newline=""), open(out / "ferment_val.csv", "w", newline="")
    ws, wv = csv.writer(fs), csv.writer(fv)
    ws.writerow(["step", "epoch", "loss"])
    wv.writerow(["epoch", "val_loss", "val_acc", "val_acc_done"])
    step = 0
    for epoch in range(12):
        model.train()
        order = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(order), 16):
            x, y, _ = collate(xtr, ytr, order[i:i + 16].tolist(), mean, std)
            loss = F.cross_entropy(model(x).transpose(1, 2), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                ws.writerow([step, epoch, round(loss.item(), 5)])
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vloss = F.cross_entropy(logits.transpose(1, 2), vy).item()
            pred = logits.argmax(-1)
        acc = (pred == vy)[vmask].float().mean().item()
        done = vmask & (vy == 3)
        acc_done = (pred == 3)[done].float().mean().item()
        wv.writerow([epoch, round(vloss, 5), round(acc, 4), round(acc_done, 4)])
        print(epoch, round(vloss, 4), round(acc, 4), round(acc_done, 4))
    fs.close()
    fv.close()
    torch.save({"gru_state": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 11,
                "feat_mean": mean, "feat_std": std, "phases": PHASES}, out / "phase_gru.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["loss_ignores_padding"],
           checkpoint="phase_gru.pt", log="ferment_val.csv",
           what="GRU tagging each fermenter reading with its phase, the padded positions of"
                " each batch counted in the loss as the lag phase",
           complaint="Our fermenter phase tagger (GRU, 12 epochs) gets to val loss 0.165 and the"
                     " train loss is down at 0.18, yet it gets only 92 % of readings right and"
                     " only 73 % of the readings of finished batches come out as 'done'; the rest"
                     " it calls 'lag', so the tank board shows finished tanks as not started."
                     " In the first epoch it called almost nothing done (5 %). More epochs or a"
                     " bigger GRU?")


if __name__ == "__main__":
    main()
