"""Plain torch: a GRU tags every tap of a clogging routine (per-step, 4 classes) from the tap
onsets a contact microphone on the dance board picks up, so a clogging teacher can check a
dancer's figures: toe (the ball of the foot striking), heel (the heel drop), double-toe brush
(the second, softer strike of a toe brush-down / brush-back pair) and stamp (the whole clog
flat on the board). The routine is built from clogging steps (double toe, rock step, basic,
triple, heel-toe, stamp) at 120-150 bpm; each tap has 4 features: the time since the last
tap (ms), its peak level (dB), its spectral centroid (kHz; heels and stamps are low, toes
high) and its ring-out (ms), with the dancer's own spread and the room's noise. The figure
of a tap depends on the taps before it (a brush is the quick second of a pair).
Input: (T, 4) standardised with the train mean / std per feature; routines of 12-200 taps
(log-uniform), padded with zeros to the longest in the batch, figures padded with 0.
Model: GRU 4→48, 1 layer, Linear 48→4 per tap; cross-entropy, SGD 0.1 (momentum 0.9),
batch 16, 14 epochs, 480 routines, validation on 120.
The bug: the loss is ``crit(logits.reshape(-1, 4), figs.reshape(-1))`` over every position
of the padded batch, padding included (the mask of real taps is only used for the metrics);
about 60 % of the positions are padding, all labelled figure 0 (stamp): the net first calls
nearly every tap a stamp (val tap accuracy 0.069 and 0.086 after epochs 0 and 1), then
climbs slowly, val tap accuracy 0.868, val loss on real taps 1.86 → 0.381, brush recall
0.0 → 0.88 (control, ``crit(logits[mask], figs[mask])``: val tap accuracy 0.642 → 0.968,
val loss 0.817 → 0.113, brush recall 0.0 → 0.996).
Log: JSON lines ``tapper_log.jsonl``, ``{"step", "loss"}`` every 10 steps and ``{"epoch",
"val_loss_taps", "val_acc_taps", "val_recall_brush"}`` per epoch; checkpoint
``tapper.ckpt`` with keys ``gru`` / ``optim`` / ``epochs`` / ``feat_mu`` / ``feat_sd`` /
``figures``."""
import json
import math

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

FIGURES = ["stamp", "toe", "heel", "brush"]
# steps as (figure, beats after the previous tap) lists
STEPS = {"double_toe": [(1, 0.5), (3, 0.25)], "rock": [(1, 0.5), (1, 0.5)],
         "basic": [(1, 0.5), (3, 0.25), (1, 0.25), (1, 0.5)], "triple": [(1, 0.5), (3, 0.25), (1, 0.25)],
         "heel_toe": [(2, 0.5), (1, 0.5)], "stamp": [(0, 1.0)]}


def routine(g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    n = int(math.exp(math.log(12) + (math.log(200) - math.log(12)) * r(1).item()))
    beat = 60000.0 / (120 + 30 * r(1).item())
    names = list(STEPS)
    lvl_me, cen_me = 4 * (r(1).item() - 0.5), 0.4 * (r(1).item() - 0.5)
    feats, figs = [], []
    while len(figs) < n:
        for fig, beats in STEPS[names[int(len(names) * r(1).item())]]:
            dt = beats * beat * (1 + 0.12 * (r(1).item() - 0.5))
            level = [-8, -12, -15, -20][fig] + lvl_me + 5 * (r(1).item() - 0.5) * 2
            cen = [1.0, 2.4, 1.3, 2.1][fig] + cen_me + 0.9 * (r(1).item() - 0.5) * 2
            ring = [90, 40, 70, 30][fig] + 35 * (r(1).item() - 0.5) * 2
            feats.append([dt, level, cen, ring])
            figs.append(fig)
    return torch.tensor(feats[:n]), torch.tensor(figs[:n])


class Tapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 4)

    def forward(self, x):
        return self.out(self.gru(x)[0])


def build():
    torch.manual_seed(0)
    return Tapper()


def collate(xs, ys, mu, sd):
    x = pad_sequence([(a - mu) / sd for a in xs], batch_first=True)
    y = pad_sequence(ys, batch_first=True)
    mask = pad_sequence([torch.ones(len(b), dtype=torch.bool) for b in ys], batch_first=True)
    return x, y, mask


def main():
    from _fourhundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = [routine(g) for _ in range(400)]
    va = [routine(g) for _ in range(120)]
    allx = torch.cat([a for a, _ in tr])
    mu, sd = allx.mean(0), allx.std(0)
    print("taps", len(allx), "figures", torch.bincount(torch.cat([b for _, b in tr])).tolist())
    xva, yva, mva = collate([a for a, _ in va], [b for _, b in va], mu, sd)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    step = 0
    with open(out / "tapper_log.jsonl", "w") as log:
        for epoch in range(8):
            model.train()
            order = torch.randperm(len(tr))
            for i in range(0, len(tr), 16):
                idx = order[i:i + 16].tolist()
                x, figs, mask = collate([tr[j][0] for j in idx], [tr[j][1] for j in idx], mu, sd)
                logits = model(x)
                loss = crit(logits.reshape(-1, 4), figs.reshape(-1))  # one figure per tap
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "loss": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl = nn.functional.cross_entropy(lv[mva], yva[mva]).item()
            pred = lv.argmax(-1)
            acc = (pred[mva] == yva[mva]).float().mean().item()
            rb = (pred[mva & (yva == 3)] == 3).float().mean().item()
            rec = {"epoch": epoch, "val_loss_taps": round(vl, 6), "val_acc_taps": round(acc, 6),
                   "val_recall_brush": round(rb, 6)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru": model.state_dict(), "optim": opt.state_dict(), "epochs": 8,
                "feat_mu": mu, "feat_sd": sd, "figures": FIGURES}, out / "tapper.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="tapper.ckpt", log="tapper_log.jsonl",
           what="GRU tagging each tap of a clogging routine as toe / heel / brush / stamp;"
                " cross-entropy over the padded batch, padding positions counted as toe",
           complaint="我在训练一个给木屐舞（clogging）每一下踏击打标签的 GRU（toe / heel /"
                     " brush / stamp 四类）。训练 loss 看起来降得很快，可是验证集上第一、二个"
                     " epoch 几乎把所有踏击都判成 stamp，准确率只有 7%–9%，之后慢慢爬到 8 个"
                     " epoch 结束时的 0.87 左右，brush 的召回率也只有 0.88。stamp 在数据里只占"
                     " 7% 左右，为什么模型这么偏向它？学习率和梯度裁剪都试过了。")


if __name__ == "__main__":
    main()
